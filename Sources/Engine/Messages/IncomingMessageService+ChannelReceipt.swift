import Foundation
import Logging
import Model
import Storage

extension IncomingMessageService {
    /// A receipt about one of our outgoing messages that a channel fetched in a form of its own rather than as a
    /// `status` message — DPI's signed leveringskvittering, aapningskvittering, … (`internals.md` §2.6).
    public struct ChannelReceipt: Sendable, Equatable {
        /// The conversation of our message the receipt is about.
        public var conversationId: String
        public var status: ReceiptStatus
        public var description: String?
        /// The receipt as received, kept on the status row.
        public var rawReceipt: String?
        /// When it happened at the channel; nil records it now.
        public var at: Date?
        /// Record MOTTATT (a second earlier) when LEVERT comes without it, as the upstream's DPI receipt handler
        /// does: a print letter or a fast mailbox gets its delivery receipt before corner 2 reports MOTTATT.
        public var recordsMottattBeforeLevert: Bool

        public init(conversationId: String, status: ReceiptStatus, description: String? = nil, rawReceipt: String? = nil,
                    at: Date? = nil, recordsMottattBeforeLevert: Bool = false) {
            self.conversationId = conversationId
            self.status = status
            self.description = description
            self.rawReceipt = rawReceipt
            self.at = at
            self.recordsMottattBeforeLevert = recordsMottattBeforeLevert
        }
    }

    /// What became of a channel receipt.
    public enum ChannelReceiptOutcome: Sendable, Equatable {
        case registered
        /// The conversation has this status already (a receipt fetched twice); nothing changed.
        case alreadyRegistered
        /// No outgoing conversation of this channel has the receipt's conversationId (sent by another system
        /// sharing the channel, or deleted); nothing was recorded.
        case unknownConversation
    }

    /// Registers a channel's receipt on our outgoing conversation with its conversationId, in one transaction and
    /// idempotently: a receipt handed in twice (a crash before the channel was told it was read) changes nothing.
    /// A receipt before SENDT is recorded is preceded by SENDT, as for status messages.
    public func registerReceipt(_ receipt: ChannelReceipt, via service: ServiceIdentifier) async throws -> ChannelReceiptOutcome {
        let at = receipt.at ?? time.now
        var query = ConversationQuery()
        query.conversationId = [receipt.conversationId]
        query.serviceIdentifier = [service]
        query.direction = .OUTGOING
        let outcome = try await store.write { [registrar, query] tx -> ChannelReceiptOutcome in
            guard let conversation = try tx.findConversations(query, page: PageRequest(page: 0, size: 1)).content.first else {
                return .unknownConversation
            }
            if receipt.status == .LEVERT, receipt.recordsMottattBeforeLevert, !conversation.hasStatus(.MOTTATT) {
                try registrar.register(.MOTTATT, messageId: conversation.messageId, direction: .OUTGOING,
                                       at: at.addingTimeInterval(-1), in: tx)
            }
            let row = try registrar.register(receipt.status, messageId: conversation.messageId, direction: .OUTGOING,
                                             description: receipt.description, rawReceipt: receipt.rawReceipt, at: at, in: tx)
            return row == nil ? .alreadyRegistered : .registered
        }
        if outcome == .unknownConversation {
            logger.warning("A \(service.rawValue) receipt names no conversation of ours; ignored",
                           metadata: ["conversationId": "\(receipt.conversationId)", "status": "\(receipt.status.rawValue)"])
        }
        return outcome
    }
}
