import Foundation
@testable import Storage
import Synchronization
import Testing

/// The payload contract's synchronous calls (`exists`, `size`, opening a read, `delete`) are made from Swift's
/// cooperative threads, beside asynchronous store reads. GRDB gives an asynchronous read's connection back only once
/// the read resumes on a cooperative thread; a synchronous call that waits for a reader there can hold every
/// cooperative thread while every reader waits for one — a hang of the whole process, seen under load with
/// `use-db-persistence=true`.
@Suite("Payload stores in the database beside asynchronous store calls")
struct PayloadStoreConcurrencyTests {
    @Test("many synchronous payload calls beside many asynchronous reads all finish")
    func synchronousCallsBesideAsynchronousReadsFinish() async throws {
        let messages = try SQLiteMessageStore.inTestFolder()
        let store = try DatabasePayloadStore(store: messages, rowSize: 64 * 1024)
        _ = try await store.write(messageId: "m1", key: "k", bytes: PatternBytes.bytes(100_000))
        try await Self.interleave(tasks: 64, rounds: 40,
                                  hang: "the database payload store deadlocked beside asynchronous reads") { round in
            _ = try await messages.read { _ in round }
        } synchronous: {
            #expect(store.exists(messageId: "m1", key: "k"))
            #expect(try store.size(messageId: "m1", key: "k") == 100_000)
            _ = try store.read(messageId: "m1", key: "k", chunkSize: 4096)
        }
        #expect(try await store.readAll(messageId: "m1", key: "k").bytes == PatternBytes.bytes(100_000))
    }

    /// On PostgreSQL a synchronous call waits for a transaction thread, and every transaction thread may be running
    /// a prepared statement: those must complete without a cooperative thread, or the two wait for each other.
    @Test("on PostgreSQL, synchronous payload calls beside transactions of prepared statements all finish",
          .enabled(if: PostgresTestDatabase.isRequested))
    func synchronousCallsBesidePreparedStatementsFinish() async throws {
        let messages = try await PostgresMessageStore(configuration: PostgresTestDatabase.configuration(poolSize: 2))
        let store = try await PostgresPayloadStore(store: messages, rowSize: 64 * 1024)
        _ = try await store.write(messageId: "m1", key: "k", bytes: PatternBytes.bytes(100_000))
        try await Self.interleave(tasks: 32, rounds: 20,
                                  hang: "the PostgreSQL store deadlocked beside synchronous payload calls") { round in
            let found = try await messages.write { tx in
                try tx.conversation(messageId: "m\(round)", direction: .OUTGOING)
            }
            #expect(found == nil)
        } synchronous: {
            #expect(store.exists(messageId: "m1", key: "k"))
            _ = try store.read(messageId: "m1", key: "k", chunkSize: 4096)
        }
    }

    /// Runs `tasks` tasks of `rounds` rounds each, half of them `asynchronous`, half `synchronous`. A hang cannot be
    /// noticed by a task (no cooperative thread is left to run it), so a plain thread ends the test process with
    /// `hang` once no call has finished for a minute. It watches progress, not the total: beside the rest of the
    /// suite on two cores the calls may be slow, but in a deadlock none finishes.
    static func interleave(tasks: Int, rounds: Int, hang: String,
                           asynchronous: @escaping @Sendable (Int) async throws -> Void,
                           synchronous: @escaping @Sendable () throws -> Void) async throws {
        let watchdog = Watchdog(seconds: 60, reason: hang)
        defer { watchdog.disarm() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<tasks {
                group.addTask {
                    for round in 0..<rounds {
                        if task % 2 == 0 { try await asynchronous(round) } else { try synchronous() }
                        watchdog.progressed()
                    }
                }
            }
            try await group.waitForAll()
        }
    }
}

/// Ends the process with `reason` when `progressed()` has not been called for `seconds`, unless disarmed.
final class Watchdog: @unchecked Sendable {
    private let disarmed = DispatchSemaphore(value: 0)
    private let steps = Mutex(0)

    init(seconds: Double, reason: String) {
        let thread = Thread { [self] in
            var seen = -1
            while self.disarmed.wait(timeout: .now() + seconds) == .timedOut {
                let now = self.steps.withLock { $0 }
                if now == seen { fatalError("\(reason) (no call finished within \(Int(seconds)) s)") }
                seen = now
            }
        }
        thread.start()
    }

    func progressed() { steps.withLock { $0 += 1 } }

    func disarm() { disarmed.signal() }
}
