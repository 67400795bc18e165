import Crypto
import Foundation
import Hummingbird
import Synchronization

/// The Azure Service Bus namespace DPE uses, as its REST API answers (`internals.md` §2.5): per-queue FIFO,
/// peek-lock with lock tokens that run out, complete, unlock, and a shared access signature checked on every call.
///
/// Routes (at the server's root, as a namespace has them):
/// - `POST /{queue}/messages` sends (201), reading an optional `BrokerProperties` JSON (`MessageId`, `TimeToLive`);
/// - `POST /{queue}/messages/head` peek-locks (201 with the body and `BrokerProperties`, 204 when empty);
/// - `DELETE /{queue}/messages/{messageId}/{lockToken}` completes, `PUT …` unlocks (200; 404 when the lock is lost).
///
/// Errors are Azure's `<Error><Code/><Detail/></Error>` XML. Queues must exist (`createQueue`) unless
/// `autoCreateQueues` is set.
public final class SandboxServiceBus: Sendable {
    public struct Configuration: Sendable {
        /// The shared access key name callers must sign with (`difi.move.nextmove.serviceBus.sasKeyName`).
        public var keyName: String
        /// The shared access key (what the registry's `/sastoken` hands out).
        public var key: String
        /// How long a peek-lock holds a message (Azure's default is one minute).
        public var lockDuration: TimeInterval
        /// Deliveries after which a message is dead-lettered (Azure's default is 10).
        public var maxDeliveryCount: Int
        /// The largest message body accepted; larger sends answer 413.
        public var maximumMessageBytes: Int
        /// Create a queue on its first send or peek instead of answering 404.
        public var autoCreateQueues: Bool
        /// How far in the past a signature's expiry may lie.
        public var clockSkew: TimeInterval

        public init(keyName: String = "MoveDPE-pilotPolicy", key: String = SandboxServiceBus.randomKey(),
                    lockDuration: TimeInterval = 60, maxDeliveryCount: Int = 10, maximumMessageBytes: Int = 8 << 20,
                    autoCreateQueues: Bool = false, clockSkew: TimeInterval = 300) {
            self.keyName = keyName
            self.key = key
            self.lockDuration = lockDuration
            self.maxDeliveryCount = maxDeliveryCount
            self.maximumMessageBytes = maximumMessageBytes
            self.autoCreateQueues = autoCreateQueues
            self.clockSkew = clockSkew
        }
    }

    /// The operations faults can be injected into.
    public enum Operation: String, Sendable, CaseIterable {
        case send, peekLock, complete, unlock
    }

    private struct Fault: Sendable {
        var remaining: Int
        var status: Int
    }

    /// Takes the messages sent to a queue at once, as a receiver reading it all the time would.
    public typealias Receiver = @Sendable (_ queue: String, _ body: Data) -> Void

    private struct State {
        var configuration: Configuration
        var queues: [String: SandboxServiceBusQueue] = [:]
        var faults: [Operation: Fault] = [:]
        var refusedSignatures: [String] = []
        var receivers: [String: Receiver] = [:]
        var holds: [Operation: (remaining: Int, seconds: TimeInterval)] = [:]
        var heldRequests = 0
        var releasedHolds = 0
    }

    private let state: Mutex<State>
    private let now: @Sendable () -> Date

    public init(configuration: Configuration = Configuration(), now: @escaping @Sendable () -> Date = { Date() }) {
        self.state = Mutex(State(configuration: configuration))
        self.now = now
    }

    /// A fresh key as Azure makes them: 32 random bytes, Base64.
    public static func randomKey() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }.base64EncodedString()
    }

    // MARK: Test controls

    public var keyName: String { state.withLock { $0.configuration.keyName } }
    /// The key callers must sign with now.
    public var key: String { state.withLock { $0.configuration.key } }

    /// Changes the key, as rotating a shared access policy's key does: signatures with the old key are refused.
    public func rotateKey(to key: String = SandboxServiceBus.randomKey()) {
        state.withLock { $0.configuration.key = key }
    }

    public func createQueue(_ name: String) {
        state.withLock { state in
            if state.queues[name.lowercased()] == nil { state.queues[name.lowercased()] = SandboxServiceBusQueue() }
        }
    }

    public var queueNames: [String] { state.withLock { $0.queues.keys.sorted() } }

    /// The messages waiting in `queue` (locked ones included), first first.
    public func messages(in queue: String) -> [SandboxServiceBusMessage] {
        state.withLock { $0.queues[queue.lowercased()]?.messages ?? [] }
    }

    /// The messages moved to `queue`'s dead-letter queue.
    public func deadLetters(in queue: String) -> [SandboxServiceBusMessage] {
        state.withLock { $0.queues[queue.lowercased()]?.deadLetters ?? [] }
    }

    /// How many messages of `queue` were completed.
    public func completedCount(in queue: String) -> Int {
        state.withLock { $0.queues[queue.lowercased()]?.completed ?? 0 }
    }

    /// Why signatures were refused, oldest first.
    public var refusedSignatures: [String] { state.withLock { $0.refusedSignatures } }

    /// Puts a message on `queue` as another sender would (creating the queue); answers its `MessageId`.
    @discardableResult
    public func enqueue(_ body: Data, in queue: String, messageId: String = SandboxServiceBus.newMessageID(),
                        contentType: String? = "application/json", timeToLive: TimeInterval? = nil) -> String {
        let now = now()
        return state.withLock { state in
            state.queues[queue.lowercased(), default: SandboxServiceBusQueue()]
                .enqueue(body: body, messageId: messageId, contentType: contentType, timeToLive: timeToLive, now: now).messageId
        }
    }

    /// The next `count` calls of `operation` answer `statusCode` (with an Azure error body) and do nothing.
    public func failNext(_ operation: Operation, count: Int = 1, statusCode: Int = 500) {
        state.withLock { $0.faults[operation] = Fault(remaining: count, status: statusCode) }
    }

    /// The next `count` calls of `operation` are held without an answer for up to `seconds` (or until
    /// ``releaseHeldRequests()``) and then answered 503 without effect: a caller that dies meanwhile never learns
    /// whether the call took, as after a crash between storing a message and completing it.
    public func holdNext(_ operation: Operation, count: Int = 1, seconds: TimeInterval = 30) {
        state.withLock { $0.holds[operation] = (count, seconds) }
    }

    /// Requests held so far by ``holdNext(_:count:seconds:)``.
    public var heldRequestCount: Int { state.withLock { $0.heldRequests } }

    /// Answers every request held now (503, without effect).
    public func releaseHeldRequests() { state.withLock { $0.releasedHolds = $0.heldRequests } }

    /// Messages sent to `queues` go to `receive` instead of waiting in the queue.
    public func attachReceiver(to queues: [String], _ receive: @escaping Receiver) {
        state.withLock { state in
            for queue in queues { state.receivers[queue.lowercased()] = receive }
        }
    }

    /// Azure's message ids look like GUIDs without dashes.
    public static func newMessageID() -> String { UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "") }

    // MARK: Routes

    public func addRoutes(to router: Router<BasicRequestContext>) {
        router.post(":queue/messages") { request, context in try await self.send(request, context) }
        router.post(":queue/messages/head") { request, context in try self.peekLock(request, context) }
        router.delete(":queue/messages/:messageId/:lockToken") { request, context in try await self.settle(request, context, .complete) }
        router.put(":queue/messages/:messageId/:lockToken") { request, context in try await self.settle(request, context, .unlock) }
    }

    private func send(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let queue = try context.parameters.require("queue").lowercased()
        if let refusal = authorize(request) { return refusal }
        if let fault = injectedFault(.send) { return fault }
        guard queueExists(queue) else { return Self.missingQueue(queue) }
        let limit = state.withLock { $0.configuration.maximumMessageBytes }
        var request = request
        guard let buffer = try? await request.collectBody(upTo: limit) else {
            return Self.error(413, "The received message (delivery-id:0, size:more than \(limit) bytes) exceeds the limit (\(limit) bytes) currently allowed on the link.")
        }
        let properties = request.headers[.init("BrokerProperties")!]
            .flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] } ?? [:]
        let messageId = (properties["MessageId"] as? String).flatMap { $0.isEmpty ? nil : $0 } ?? Self.newMessageID()
        let timeToLive = (properties["TimeToLive"] as? NSNumber)?.doubleValue
        if let receiver = state.withLock({ $0.receivers[queue] }) {
            receiver(queue, Data(buffer.readableBytesView))
            return Response(status: .created)
        }
        enqueue(Data(buffer.readableBytesView), in: queue, messageId: messageId,
                contentType: request.headers[.contentType], timeToLive: timeToLive)
        return Response(status: .created)
    }

    private func peekLock(_ request: Request, _ context: BasicRequestContext) throws -> Response {
        let queue = try context.parameters.require("queue").lowercased()
        if let refusal = authorize(request) { return refusal }
        if let fault = injectedFault(.peekLock) { return fault }
        guard queueExists(queue) else { return Self.missingQueue(queue) }
        let now = now()
        let locked: SandboxServiceBusMessage? = state.withLock { state in
            let lockDuration = state.configuration.lockDuration, maxDeliveryCount = state.configuration.maxDeliveryCount
            return state.queues[queue]?.peekLock(now: now, lockDuration: lockDuration, maxDeliveryCount: maxDeliveryCount)
        }
        guard let locked else { return Response(status: .noContent) }
        var headers = HTTPFields()
        headers[.init("BrokerProperties")!] = Self.brokerProperties(locked)
        headers[.location] = "\(Self.requestBase(request))/\(queue)/messages/\(locked.messageId)/\(locked.lockToken ?? "")"
        headers[.contentType] = locked.contentType ?? "application/octet-stream"
        return Response(status: .created, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: locked.body)))
    }

    private func settle(_ request: Request, _ context: BasicRequestContext, _ operation: Operation) async throws -> Response {
        let queue = try context.parameters.require("queue").lowercased()
        let messageId = try context.parameters.require("messageId")
        let lockToken = try context.parameters.require("lockToken")
        if let refusal = authorize(request) { return refusal }
        if let fault = injectedFault(operation) { return fault }
        if let held = await hold(operation) { return held }
        guard queueExists(queue) else { return Self.missingQueue(queue) }
        let now = now()
        let settled: Bool = state.withLock { state in
            do {
                if operation == .complete {
                    try state.queues[queue]?.complete(messageId: messageId, lockToken: lockToken, now: now)
                } else {
                    try state.queues[queue]?.unlock(messageId: messageId, lockToken: lockToken, now: now)
                }
                return true
            } catch {
                return false
            }
        }
        guard settled else {
            return Self.error(404, "The lock supplied is invalid. Either the lock expired, or the message has already been removed from the queue.")
        }
        return Response(status: .ok)
    }

    // MARK: Internals

    /// `nil` when the request's signature is good; otherwise the 401 answer.
    private func authorize(_ request: Request) -> Response? {
        let (keyName, key, skew) = state.withLock { ($0.configuration.keyName, $0.configuration.key, $0.configuration.clockSkew) }
        do {
            try SandboxSharedAccessSignature.verify(header: request.headers[.authorization],
                                                    requestURL: Self.requestBase(request) + request.uri.path,
                                                    keyName: keyName, key: key, now: now(), clockSkew: skew)
            return nil
        } catch {
            state.withLock { $0.refusedSignatures.append(error.description) }
            return Self.error(401, "\(error.description) TrackingId:\(UUID().uuidString.lowercased())")
        }
    }

    private func injectedFault(_ operation: Operation) -> Response? {
        let status: Int? = state.withLock { state in
            guard var fault = state.faults[operation], fault.remaining > 0 else { return nil }
            fault.remaining -= 1
            state.faults[operation] = fault
            return fault.status
        }
        return status.map { Self.error($0, "The sandbox was told to fail this \(operation.rawValue).") }
    }

    /// Holds a request as ``holdNext(_:count:seconds:)`` asked; nil when it is not to be held.
    private func hold(_ operation: Operation) async -> Response? {
        let plan: (number: Int, seconds: TimeInterval)? = state.withLock { state in
            guard let hold = state.holds[operation], hold.remaining > 0 else { return nil }
            state.holds[operation] = (hold.remaining - 1, hold.seconds)
            state.heldRequests += 1
            return (state.heldRequests, hold.seconds)
        }
        guard let plan else { return nil }
        let deadline = Date().addingTimeInterval(plan.seconds)
        while Date() < deadline, state.withLock({ $0.releasedHolds < plan.number }) {
            try? await Task.sleep(for: .milliseconds(50))
        }
        return Self.error(503, "The sandbox held this \(operation.rawValue) and dropped it.")
    }

    private func queueExists(_ queue: String) -> Bool {
        state.withLock { state in
            if state.queues[queue] != nil { return true }
            guard state.configuration.autoCreateQueues else { return false }
            state.queues[queue] = SandboxServiceBusQueue()
            return true
        }
    }

    /// `http://<authority>` of the request, as the caller addressed (and signed) it.
    private static func requestBase(_ request: Request) -> String {
        "http://\(request.head.authority ?? "localhost")"
    }

    private static func brokerProperties(_ message: SandboxServiceBusMessage) -> String {
        var properties: [String: Any] = [
            "DeliveryCount": message.deliveryCount,
            "EnqueuedSequenceNumber": 0,
            "EnqueuedTimeUtc": httpDate(message.enqueuedAt),
            "LockToken": message.lockToken ?? "",
            "MessageId": message.messageId,
            "SequenceNumber": message.sequenceNumber,
            "State": "Active",
        ]
        if let lockedUntil = message.lockedUntil { properties["LockedUntilUtc"] = httpDate(lockedUntil) }
        if let expiresAt = message.expiresAt { properties["TimeToLive"] = expiresAt.timeIntervalSince(message.enqueuedAt) }
        let data = (try? JSONSerialization.data(withJSONObject: properties, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    private static func httpDate(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: date)
    }

    private static func missingQueue(_ queue: String) -> Response {
        error(404, "The messaging entity '\(queue)' could not be found. To know more visit https://aka.ms/sbResourceMgrExceptions.")
    }

    /// Azure's error body: `<Error><Code>…</Code><Detail>…</Detail></Error>`.
    static func error(_ status: Int, _ detail: String) -> Response {
        let escaped = detail.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
        return HTTPAnswer.text("<Error><Code>\(status)</Code><Detail>\(escaped)</Detail></Error>",
                               status: HTTPResponse.Status(code: status), contentType: "application/xml; charset=utf-8")
    }
}
