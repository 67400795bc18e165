import AsyncHTTPClient
import Foundation
import NIOCore


/// POSTs a JSON body to a subscriber's endpoint.
public protocol WebhookPusher: Sendable {
    /// Succeeds on a 2xx answer; throws `WebhookPushError` otherwise.
    func push(json: String, to endpoint: String, timeout: TimeInterval) async throws
}

public struct WebhookPushError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// The real pusher, on AsyncHTTPClient.
public struct HTTPWebhookPusher: WebhookPusher {
    let client: HTTPClient

    public init(client: HTTPClient = .shared) {
        self.client = client
    }

    public func push(json: String, to endpoint: String, timeout: TimeInterval) async throws {
        var request = HTTPClientRequest(url: endpoint)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "integrasjonspunkt-webhooks")
        request.body = .bytes(ByteBuffer(string: json))
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, timeout: .milliseconds(Int64(timeout * 1000)))
        } catch {
            throw WebhookPushError(Self.describe(error, endpoint: endpoint))
        }
        _ = try? await response.body.collect(upTo: 64 * 1024)
        guard (200..<300).contains(Int(response.status.code)) else {
            throw WebhookPushError("\(endpoint) answered \(response.status.code) \(response.status.reasonPhrase)")
        }
    }

    static func describe(_ error: any Error, endpoint: String) -> String {
        let text = String(describing: error)
        if text.contains("connectTimeout") || text.contains("deadlineExceeded") || text.contains("readTimeout") {
            return "\(endpoint) did not answer in time"
        }
        if text.contains("connectionRefused") || text.contains("Connection refused") {
            return "connection to \(endpoint) was refused"
        }
        return "\(endpoint) could not be reached (\(text))"
    }
}
