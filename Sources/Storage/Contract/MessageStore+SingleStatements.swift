import Foundation

extension MessageStore {
    public func claimDueJobs(limit: Int, now: Date, leaseUntil: Date, owner: String) async throws -> [OutboxJob] {
        try await write { tx in try tx.claimDueJobs(limit: limit, now: now, leaseUntil: leaseUntil, owner: owner) }
    }

    @discardableResult
    public func deleteJob(id: Int64) async throws -> Bool {
        try await write { tx in try tx.deleteJob(id: id) }
    }

    public func lockNextIncoming(_ query: MessageQuery, now: Date, until: Date) async throws -> IncomingMessageRecord? {
        try await write { tx in try tx.lockNextIncoming(query, now: now, until: until) }
    }
}
