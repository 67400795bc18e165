import Foundation
import Storage
import Testing

@Suite("Several instances: conversation locks", .enabled(if: PostgresTestDatabase.isRequested))
struct ConversationLockTests {
    @Test func twoInstancesAddingTheSameStatusTakeTurnsAndAddItOnce() async throws {
        let added = try await addOnceFromFourWriters { tx, id, _ in try tx.lockConversation(id: id) }
        #expect(added == 20)
    }

    @Test func lockedByMessageIdTheyTakeTurnsAsWell() async throws {
        let added = try await addOnceFromFourWriters { tx, _, number in
            try tx.lockConversation(messageId: Fixture.messageId(number), direction: .OUTGOING)
        }
        #expect(added == 20)
    }

    @Test func theRowLockAloneMakesThemTakeTurnsToo() async throws {
        let added = try await addOnceFromFourWriters { tx, id, number in
            try tx.lockConversationRow(messageId: Fixture.messageId(number), direction: .OUTGOING)
            return try tx.conversation(id: id)
        }
        #expect(added == 20)
    }

    @Test func lockingWhatIsNotThereFindsNothing() async throws {
        let store = try await PostgresMessageStore(configuration: PostgresTestDatabase.configuration())
        _ = try await store.write { tx in try tx.insertConversation(Fixture.conversation(1)) }
        #expect(try await store.write { try $0.lockConversation(id: 999_999) } == nil)
        #expect(try await store.write {
            try $0.lockConversation(messageId: Fixture.messageId(1), direction: .INCOMING)
        } == nil)
        let found = try await store.write {
            try $0.lockConversation(messageId: Fixture.messageId(1), direction: .OUTGOING)
        }
        #expect(found?.conversationId == "conv-1")
    }

    /// Two instances on one database, four writers, twenty conversations: each transaction locks the conversation
    /// with `lock`, looks, and appends MOTTATT when it is missing — as StatusRegistrar does. Returns how many
    /// appends were made; twenty when the lock makes them take turns.
    private func addOnceFromFourWriters(
        lock: @escaping @Sendable (any StoreTransaction, Int64, Int) throws -> Conversation?
    ) async throws -> Int {
        let schema = PostgresTestDatabase.newSchemaName()
        let first = try await PostgresMessageStore(configuration: PostgresTestDatabase.configuration(schema: schema))
        let second = try await PostgresMessageStore(configuration: PostgresTestDatabase.configuration(schema: schema))
        let ids = try await first.write { tx in
            try (1...20).map { ($0, try tx.insertConversation(Fixture.conversation($0))) }
        }
        return try await withThrowingTaskGroup(of: Int.self) { group in
            for store in [first, second, first, second] {
                group.addTask {
                    var count = 0
                    for (number, id) in ids {
                        let appended = try await store.write { tx -> Bool in
                            guard let current = try lock(tx, id, number) else { return false }
                            if current.hasStatus(.MOTTATT) { return false }
                            _ = try tx.appendStatus(conversationId: id, status: .MOTTATT, description: nil,
                                                    rawReceipt: nil, at: Clock.at(1))
                            return true
                        }
                        if appended { count += 1 }
                    }
                    return count
                }
            }
            return try await group.reduce(0, +)
        }
    }
}
