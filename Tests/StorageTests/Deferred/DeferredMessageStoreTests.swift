import Foundation
import Logging
import Storage
import Synchronization
import Testing

@Suite("A store opened in the background")
struct DeferredMessageStoreTests {
    struct ServerDown: Error, CustomStringConvertible {
        var description: String { "cannot reach PostgreSQL at db.example.no:5432; check that the server runs." }
    }

    @Test func whileWaitingEveryCallFailsWithTheReasonAndAfterOpeningEveryCallGoesThrough() async throws {
        let attempts = Mutex(0)
        let folder = TestFolder.make("deferred")
        let deferred = DeferredMessageStore(name: "PostgreSQL at db.example.no:5432/ip") {
            let attempt = attempts.withLock { count -> Int in
                count += 1
                return count
            }
            guard attempt > 1 else { throw ServerDown() }
            let store = try SQLiteMessageStore(path: folder.appendingPathComponent("integrasjonspunkt.sqlite").path)
            return (store, try FilePayloadStore(root: folder.appendingPathComponent("messages")))
        }
        let payloads = deferred.payloadStore

        #expect(await deferred.tryOpen()?.contains("db.example.no:5432") == true)
        #expect(!deferred.isReady)
        #expect(await deferred.healthProblem()?.contains("db.example.no:5432") == true)
        await #expect {
            _ = try await deferred.read { tx in try tx.countJobs() }
        } throws: { error in
            guard case StoreError.unavailable(let reason) = error else { return false }
            return reason.contains("check that the server runs")
        }
        #expect(throws: StoreError.self) { try payloads.delete(messageId: "m") }
        #expect(!payloads.exists(messageId: "m", key: "asic.zip"))

        // The connector's retry succeeds (the second attempt); waiting ends.
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        await deferred.openRetrying(initialDelay: .milliseconds(1), logger: logger)
        try await deferred.waitUntilReady()
        #expect(deferred.isReady)
        #expect(await deferred.healthProblem() == nil)
        try await deferred.write { tx in
            _ = try tx.insertJob(OutboxJob(kind: .sendMessage, messageId: "m", createdAt: Date(), nextAttemptAt: Date()))
        }
        #expect(try await deferred.read { tx in try tx.countJobs() } == 1)
        _ = try await payloads.write(messageId: "m", key: "asic.zip", bytes: [1, 2, 3])
        #expect(payloads.exists(messageId: "m", key: "asic.zip"))
        #expect(attempts.withLock { $0 } == 2)
    }
}
