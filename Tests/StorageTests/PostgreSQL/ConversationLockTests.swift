import Foundation
import Storage
import Testing

@Suite("Several instances: conversation locks", .enabled(if: PostgresTestDatabase.isRequested))
struct ConversationLockTests {
    @Test func twoInstancesAddingTheSameStatusTakeTurnsAndAddItOnce() async throws {
        let schema = PostgresTestDatabase.newSchemaName()
        let first = try await PostgresMessageStore(configuration: PostgresTestDatabase.configuration(schema: schema))
        let second = try await PostgresMessageStore(configuration: PostgresTestDatabase.configuration(schema: schema))
        let ids = try await first.write { tx in
            try (1...20).map { try tx.insertConversation(Fixture.conversation($0)) }
        }
        // Each transaction: lock, look, append when missing — as StatusRegistrar does.
        let added = try await withThrowingTaskGroup(of: Int.self) { group in
            for store in [first, second, first, second] {
                group.addTask {
                    var count = 0
                    for id in ids {
                        let appended = try await store.write { tx -> Bool in
                            guard let current = try tx.lockConversation(id: id) else { return false }
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
        #expect(added == 20)
        #expect(try await second.write { try $0.lockConversation(id: 999) } == nil)
    }
}
