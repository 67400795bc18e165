import Foundation

/// Filters of `/api/messages/out`, `/api/messages/in` and peek. Every field is exact match; a list means "any of".
/// Empty lists mean "no filter".
public struct MessageQuery: Sendable, Equatable {
    public var conversationId: [String] = []
    public var messageId: [String] = []
    public var processIdentifier: [String] = []
    public var receiverIdentifier: [String] = []
    public var senderIdentifier: [String] = []
    public var serviceIdentifier: [ServiceIdentifier] = []

    public init() {}
}

/// Filters of `/api/conversations`.
public struct ConversationQuery: Sendable, Equatable {
    public var conversationId: [String] = []
    public var messageId: [String] = []
    public var receiver: [String] = []
    public var receiverIdentifier: [String] = []
    public var sender: [String] = []
    public var senderIdentifier: [String] = []
    public var serviceIdentifier: [ServiceIdentifier] = []
    public var messageReference: [String] = []
    public var messageTitle: [String] = []
    public var pollable: Bool?
    public var finished: Bool?
    public var direction: ConversationDirection?
    /// Inclusive bounds on `lastUpdate`.
    public var lastUpdateFrom: Date?
    public var lastUpdateTo: Date?
    /// Free text matched (case-insensitively, as a substring) against ids, parties, reference and title.
    public var text: String?
    /// Conversations whose latest status is one of these.
    public var latestStatus: [ReceiptStatus] = []

    public init() {}
}

/// Filters of `/api/statuses`.
public struct StatusQuery: Sendable, Equatable {
    public var id: Int64?
    public var conversationId: [String] = []
    public var messageId: [String] = []
    public var status: [String] = []
    /// Inclusive bounds on `lastUpdate`; applied only when both are set, as upstream.
    public var fromDateTime: Date?
    public var toDateTime: Date?

    public init() {}
}
