import Foundation

/// The calls a message makes most often that every backend runs as one statement, each `write { $0.same(…) }`
/// run through `writeSingleStatement`.
extension MessageStore {
    public func writeSingleStatement<T: Sendable>(
        _ body: @escaping @Sendable (any StoreTransaction) throws -> T
    ) async throws -> T {
        try await write(body)
    }

    /// As `StoreTransaction.claimDueJobs`.
    public func claimDueJobs(limit: Int, now: Date, leaseUntil: Date, owner: String) async throws -> [OutboxJob] {
        try await writeSingleStatement { tx in
            try tx.claimDueJobs(limit: limit, now: now, leaseUntil: leaseUntil, owner: owner)
        }
    }

    /// As `StoreTransaction.deleteJob`.
    @discardableResult
    public func deleteJob(id: Int64) async throws -> Bool {
        try await writeSingleStatement { tx in try tx.deleteJob(id: id) }
    }

    /// As `StoreTransaction.lockNextIncoming`.
    public func lockNextIncoming(_ query: MessageQuery, now: Date, until: Date) async throws -> IncomingMessageRecord? {
        try await writeSingleStatement { tx in try tx.lockNextIncoming(query, now: now, until: until) }
    }
}
