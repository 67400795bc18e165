import Foundation

/// The scope types the API admits (`@OneOf` on `Scope.type`).
public enum ScopeType: String, Sendable, CaseIterable, Codable {
    case journalpostId = "JournalpostId"
    case conversationId = "ConversationId"
    case parentId = "ParentId"
    case senderRef = "SenderRef"
    case receiverRef = "ReceiverRef"
    case messageChannel = "MessageChannel"

    /// The upstream enum constant names (`CONVERSATION_ID`), accepted by internal lookups.
    public var enumName: String {
        switch self {
        case .journalpostId: "JOURNALPOST_ID"
        case .conversationId: "CONVERSATION_ID"
        case .parentId: "PARENT_ID"
        case .senderRef: "SENDER_REF"
        case .receiverRef: "RECEIVER_REF"
        case .messageChannel: "MESSAGE_CHANNEL"
        }
    }

    public init?(name: String) {
        guard let match = ScopeType.allCases.first(where: {
            $0.rawValue.caseInsensitiveCompare(name) == .orderedSame
                || $0.enumName.caseInsensitiveCompare(name) == .orderedSame
        }) else { return nil }
        self = match
    }
}
