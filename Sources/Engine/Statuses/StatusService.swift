import Foundation
import Model
import Storage

/// `/api/statuses`: status history of both directions, and the optional status queue.
public struct StatusService: Sendable {
    let store: any MessageStore

    public init(store: any MessageStore) {
        self.store = store
    }

    public static let defaultSort = [SortOrder("id")]

    public func find(_ query: StatusQuery, page: PageRequest) async throws -> Page<MessageStatus> {
        let request = page.sorted(byDefault: Self.defaultSort)
        return try await store.read { tx in try tx.findStatuses(query, page: request) }
    }

    /// Every status of the conversation(s) with `messageId`; an empty page when there are none.
    public func statuses(messageId: String, page: PageRequest) async throws -> Page<MessageStatus> {
        var query = StatusQuery()
        query.messageId = [messageId]
        return try await find(query, page: page)
    }

    /// The oldest status on the status queue, without removing it; nil when the queue is empty.
    public func peek() async throws -> MessageStatus? {
        try await store.read { tx in try tx.oldestQueuedStatus() }
    }

    /// Removes a status from the queue; false when it was not there.
    public func remove(statusId: Int64) async throws -> Bool {
        try await store.write { tx in try tx.removeQueuedStatus(statusId: statusId) }
    }
}
