import Foundation
import Logging
import Synchronization

/// A store opened in the background: until the database answers (and its migrations ran), every call fails with
/// `StoreError.unavailable` and the reason, and `/manage/health` shows that reason; afterwards every call goes to
/// the opened store.
///
/// This is how an integration point on PostgreSQL starts while the server is down or unreachable: it serves
/// `/manage/health` with the database DOWN, keeps trying with back-off, and becomes ready once the server answers.
public final class DeferredMessageStore: MessageStore {
    /// Opens the real stores: connect, migrate, and open the payload store beside it.
    public typealias Opener = @Sendable () async throws -> (any MessageStore, any PayloadStore)

    private enum State {
        case waiting(reason: String)
        case ready(any MessageStore, any PayloadStore)
    }

    private let state: Mutex<State>
    private let opener: Opener
    /// What the store is, for the log (`PostgreSQL at host:port/db`).
    public let name: String

    public init(name: String, opener: @escaping Opener) {
        self.name = name
        self.opener = opener
        state = Mutex(.waiting(reason: "not connected yet to \(name)"))
    }

    /// The opened store, or nil while waiting.
    public var opened: (any MessageStore, any PayloadStore)? {
        state.withLock { state -> (any MessageStore, any PayloadStore)? in
            if case .ready(let store, let payloads) = state { return (store, payloads) }
            return nil
        }
    }

    public var isReady: Bool { opened != nil }

    /// The payload store that follows this store: failing while waiting, the opened one afterwards.
    public var payloadStore: any PayloadStore { DeferredPayloadStore(owner: self) }

    /// Tries to open the store once; on failure keeps the reason for health and calls.
    @discardableResult
    public func tryOpen() async -> String? {
        if isReady { return nil }
        do {
            let (store, payloads) = try await opener()
            state.withLock { $0 = .ready(store, payloads) }
            return nil
        } catch {
            let reason = "\(error)"
            state.withLock { $0 = .waiting(reason: reason) }
            return reason
        }
    }

    /// Keeps trying to open the store after a first attempt failed (`tryOpen`): waits `initialDelay`, tries,
    /// doubles the wait up to `maxDelay`, until it opens or the task is cancelled. Every failure is logged with the
    /// reason (host, port, what to check).
    public func openRetrying(initialDelay: Duration = .seconds(1), maxDelay: Duration = .seconds(30),
                             logger: Logger) async {
        var delay = initialDelay
        while !Task.isCancelled {
            do { try await Task.sleep(for: delay) } catch { return }
            guard let reason = await tryOpen() else {
                logger.info("Connected to \(name); the database is ready.")
                return
            }
            delay = min(delay * 2, maxDelay)
            logger.error("Cannot use \(name): \(reason) Trying again in \(delay.components.seconds) s; /manage/health reports the database DOWN until then.")
        }
    }

    /// Waits until the store is open (polling, since opening happens on another task), or throws when cancelled.
    public func waitUntilReady(poll: Duration = .milliseconds(200)) async throws {
        while !isReady { try await Task.sleep(for: poll) }
    }

    func current() throws -> any MessageStore {
        try state.withLock { state throws -> any MessageStore in
            switch state {
            case .ready(let store, _): return store
            case .waiting(let reason): throw StoreError.unavailable(reason)
            }
        }
    }

    func currentPayloads() throws -> any PayloadStore {
        try state.withLock { state throws -> any PayloadStore in
            switch state {
            case .ready(_, let payloads): return payloads
            case .waiting(let reason): throw StoreError.unavailable(reason)
            }
        }
    }

    public func write<T: Sendable>(_ body: @escaping @Sendable (any StoreTransaction) throws -> T) async throws -> T {
        try await current().write(body)
    }

    public func read<T: Sendable>(_ body: @escaping @Sendable (any StoreTransaction) throws -> T) async throws -> T {
        try await current().read(body)
    }

    public func writeSingleStatement<T: Sendable>(
        _ body: @escaping @Sendable (any StoreTransaction) throws -> T
    ) async throws -> T {
        try await current().writeSingleStatement(body)
    }

    public func ping() async -> Bool {
        await healthProblem() == nil
    }

    public func healthProblem() async -> String? {
        let store: any MessageStore
        do {
            store = try current()
        } catch {
            return "\(error)"
        }
        return await store.healthProblem()
    }
}

/// The payload half of a `DeferredMessageStore`.
struct DeferredPayloadStore: PayloadStore {
    let owner: DeferredMessageStore

    func write<S: AsyncSequence & Sendable>(messageId: String, key: String, chunks: S) async throws -> Int64
        where S.Element == [UInt8] {
        try await owner.currentPayloads().write(messageId: messageId, key: key, chunks: chunks)
    }

    func read(messageId: String, key: String, chunkSize: Int) throws -> AsyncThrowingStream<[UInt8], any Error> {
        try owner.currentPayloads().read(messageId: messageId, key: key, chunkSize: chunkSize)
    }

    func exists(messageId: String, key: String) -> Bool {
        (try? owner.currentPayloads().exists(messageId: messageId, key: key)) ?? false
    }

    func size(messageId: String, key: String) throws -> Int64 {
        try owner.currentPayloads().size(messageId: messageId, key: key)
    }

    func delete(messageId: String, key: String) throws {
        try owner.currentPayloads().delete(messageId: messageId, key: key)
    }

    func delete(messageId: String) throws {
        try owner.currentPayloads().delete(messageId: messageId)
    }
}
