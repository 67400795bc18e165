import Foundation
import Logging
import Model
import Storage

/// `/api/conversations`: conversations of both directions with their status history.
public struct ConversationService: Sendable {
    let store: any MessageStore
    let logger: Logger

    public init(store: any MessageStore, logger: Logger = Logger(label: "integrasjonspunkt")) {
        self.store = store
        self.logger = logger
    }

    public static let defaultSort = [SortOrder("lastUpdate", ascending: false)]

    public func find(_ query: ConversationQuery, page: PageRequest) async throws -> Page<Conversation> {
        let request = page.sorted(byDefault: Self.defaultSort)
        return try await store.read { tx in try tx.findConversations(query, page: request) }
    }

    /// Conversations still being polled for statuses (the upstream's "queue").
    public func queue(page: PageRequest) async throws -> Page<Conversation> {
        var query = ConversationQuery()
        query.pollable = true
        return try await find(query, page: page)
    }

    /// An outgoing conversation by database id, as upstream (incoming ones are not found here).
    public func conversation(id: Int64) async throws -> Conversation {
        let found = try await store.read { tx in try tx.conversation(id: id) }
        guard let found, found.direction == .OUTGOING else { throw NextMoveError.conversationNotFound(id: id) }
        return found
    }

    /// The outgoing conversation of a message, as upstream (incoming ones are not found here).
    public func conversation(messageId: String) async throws -> Conversation {
        let found = try await store.read { tx in try tx.conversation(messageId: messageId, direction: .OUTGOING) }
        guard let found else { throw NextMoveError.messageNotFound(messageId: messageId) }
        return found
    }

    /// Deletes the conversation with its statuses; an outgoing message kept only because it expired goes with it.
    public func delete(id: Int64) async throws {
        _ = try await store.write { tx in
            guard let conversation = try tx.conversation(id: id) else { return }
            try tx.deleteConversation(id: id)
            try tx.deleteExpiredOutgoingWithoutConversation(messageId: conversation.messageId)
        }
        logger.info("Conversation deleted", metadata: ["audit": "delete", "conversationDbId": "\(id)"])
    }

    /// Deletes the conversations of `messageId`; an outgoing message kept only because it expired goes with them.
    public func delete(messageId: String) async throws {
        _ = try await store.write { tx in
            for conversation in try tx.conversations(messageId: messageId) {
                try tx.deleteConversation(id: conversation.id)
            }
            try tx.deleteExpiredOutgoingWithoutConversation(messageId: messageId)
        }
        logger.info("Conversations deleted", metadata: ["audit": "delete", "messageId": "\(messageId)"])
    }
}
