/// Whether a conversation is a message we send or one we receive.
public enum ConversationDirection: String, Codable, CaseIterable, Sendable {
    case INCOMING, OUTGOING
}
