import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// The Azure Service Bus REST calls DPE makes (`internals.md` §2.5), each signed with a fresh shared access
/// signature over the request's resource URI.
///
/// - send: `POST {base}/{queue}/messages` with `BrokerProperties: {}`;
/// - peek-lock: `POST {base}/{queue}/messages/head` (201/200 with a message, 204 when empty);
/// - complete: `DELETE {base}/{queue}/messages/{MessageId}/{LockToken}`;
/// - unlock: `PUT {base}/{queue}/messages/{MessageId}/{LockToken}`.
///
/// A 401 drops the key (`SASKeyProvider.invalidate()`) and the request is signed and sent once more with a key
/// fetched again; a second 401 is reported.
public struct ServiceBusClient: Sendable {
    public let configuration: ServiceBusConfiguration
    private let httpClient: HTTPClient
    private let keys: any SASKeyProvider
    private let now: @Sendable () -> Date

    public init(configuration: ServiceBusConfiguration, httpClient: HTTPClient, keys: any SASKeyProvider,
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.configuration = configuration
        self.httpClient = httpClient
        self.keys = keys
        self.now = now
    }

    /// Puts `body` on `queue`. The body is small (DPE's limit keeps it to a few MB), so it is sent from memory.
    public func send(_ body: Data, to queue: String, contentType: String = "application/octet-stream") async throws {
        let answer = try await exchange(operation: "send", queue: queue, path: "\(queue)/messages", method: .POST) { request in
            request.headers.add(name: "BrokerProperties", value: "{}")
            request.headers.add(name: "Content-Type", value: contentType)
            request.body = .bytes(ByteBuffer(data: body))
        }
        try Self.requireSuccess(answer, operation: "send", queue: queue)
    }

    /// Locks and returns the first message of `queue`, or `nil` when the queue is empty.
    public func peekLock(_ queue: String) async throws -> ServiceBusMessage? {
        let path = "\(queue)/messages/head"
        let answer = try await exchange(operation: "peek-lock", queue: queue, path: path, method: .POST,
                                        query: "timeout=\(configuration.peekWaitSeconds)",
                                        bodyLimit: configuration.maximumMessageBytes) { _ in }
        switch answer.status {
        case 204: return nil
        case 200, 201: break
        default: try Self.requireSuccess(answer, operation: "peek-lock", queue: queue)
        }
        guard let properties = ServiceBusMessage.brokerProperties(answer.headers.first(name: "BrokerProperties")),
              let messageId = Self.text(properties["MessageId"]), let lockToken = Self.text(properties["LockToken"]) else {
            throw ServiceBusError(operation: "peek-lock", queue: queue, status: answer.status,
                                  detail: "the answer has no BrokerProperties header with MessageId and LockToken")
        }
        return ServiceBusMessage(
            queue: queue, messageId: messageId, lockToken: lockToken,
            sequenceNumber: Self.text(properties["SequenceNumber"]).flatMap { Int64($0) },
            deliveryCount: Self.text(properties["DeliveryCount"]).flatMap { Int($0) },
            enqueuedTime: Self.text(properties["EnqueuedTimeUtc"]), lockedUntil: Self.text(properties["LockedUntilUtc"]),
            body: answer.bodyTooLarge == nil ? answer.body : nil, bodyTooLarge: answer.bodyTooLarge)
    }

    /// Removes a locked message for good.
    public func complete(_ message: ServiceBusMessage) async throws {
        let answer = try await exchange(operation: "complete", queue: message.queue, path: lockPath(message), method: .DELETE) { _ in }
        try Self.requireSuccess(answer, operation: "complete", queue: message.queue)
    }

    /// Gives a locked message back to the queue at once (instead of when its lock runs out).
    public func unlock(_ message: ServiceBusMessage) async throws {
        let answer = try await exchange(operation: "unlock", queue: message.queue, path: lockPath(message), method: .PUT) { _ in }
        try Self.requireSuccess(answer, operation: "unlock", queue: message.queue)
    }

    // MARK: Internals

    private struct Answer {
        var status: Int
        var headers: HTTPHeaders
        var body: Data
        var bodyTooLarge: Int?
    }

    private func lockPath(_ message: ServiceBusMessage) -> String {
        "\(message.queue)/messages/\(HTTPExchange.pathSegment(message.messageId))/\(HTTPExchange.pathSegment(message.lockToken))"
    }

    /// Signs and sends; on 401 drops the key and tries once more with a fresh one.
    private func exchange(operation: String, queue: String, path: String, method: HTTPMethod, query: String? = nil,
                          bodyLimit: Int = 1 << 20, configure: (inout HTTPClientRequest) -> Void) async throws -> Answer {
        let resource = configuration.resourceURI(path)
        var request = HTTPClientRequest(url: query.map { "\(resource)?\($0)" } ?? resource)
        request.method = method
        configure(&request)
        var answer = try await signedSend(request, resource: resource, operation: operation, queue: queue, bodyLimit: bodyLimit)
        if answer.status == 401 {
            await keys.invalidate()
            answer = try await signedSend(request, resource: resource, operation: operation, queue: queue, bodyLimit: bodyLimit)
        }
        return answer
    }

    private func signedSend(_ request: HTTPClientRequest, resource: String, operation: String, queue: String,
                            bodyLimit: Int) async throws -> Answer {
        var request = request
        let key: String
        do { key = try await keys.key() } catch {
            throw ServiceBusError(operation: operation, queue: queue, status: nil, detail: "no shared access key: \(error)")
        }
        let signature = SharedAccessSignature(keyName: configuration.keyName, key: key)
        request.headers.replaceOrAdd(name: "Authorization", value: signature.authorizationHeader(resourceURI: resource, now: now()))
        let response: HTTPClientResponse
        do {
            response = try await httpClient.execute(request, timeout: configuration.requestTimeout)
        } catch {
            throw ServiceBusError(operation: operation, queue: queue, status: nil, detail: "cannot reach \(configuration.baseURL): \(error)")
        }
        var body = Data()
        var received = 0
        do {
            for try await buffer in response.body {
                received += buffer.readableBytes
                // Past the limit the rest is drained without keeping it: the size is reported, the connection freed.
                if received <= bodyLimit { body.append(contentsOf: buffer.readableBytesView) }
            }
        } catch {
            throw ServiceBusError(operation: operation, queue: queue, status: Int(response.status.code),
                                  detail: "the answer broke off: \(error)")
        }
        let tooLarge = received > bodyLimit ? received : nil
        return Answer(status: Int(response.status.code), headers: response.headers, body: tooLarge == nil ? body : Data(),
                      bodyTooLarge: tooLarge)
    }

    private static func requireSuccess(_ answer: Answer, operation: String, queue: String) throws {
        guard !(200..<300).contains(answer.status) else { return }
        throw ServiceBusError(operation: operation, queue: queue, status: answer.status, detail: ServiceBusError.detail(from: answer.body))
    }

    private static func text(_ value: Any?) -> String? {
        switch value {
        case let string as String: string
        case let number as NSNumber: number.stringValue
        default: nil
        }
    }
}
