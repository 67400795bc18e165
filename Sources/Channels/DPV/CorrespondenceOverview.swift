import Foundation
import Model

/// What `GET /correspondence/{id}` answers, as far as DPV's statuses need it (`CorrespondenceOverviewExt`).
public struct CorrespondenceOverview: Sendable, Equatable, Decodable {
    public var correspondenceId: String
    /// `Initialized`, `Published`, `Read`, `PurgedByRecipient`, `PurgedByAltinn`, …
    public var status: String?
    public var statusChanged: Date?
    public var created: Date?
    /// When it became visible to the recipient; nil until then.
    public var published: Date?
    /// When the recipient first read it; nil until then.
    public var read: Date?
    public var sendersReference: String?

    public init(correspondenceId: String, status: String? = nil, statusChanged: Date? = nil, created: Date? = nil,
                published: Date? = nil, read: Date? = nil, sendersReference: String? = nil) {
        self.correspondenceId = correspondenceId
        self.status = status
        self.statusChanged = statusChanged
        self.created = created
        self.published = published
        self.read = read
        self.sendersReference = sendersReference
    }

    /// Whether the recipient or Altinn has deleted it: nothing more will happen.
    public var isPurged: Bool { status == "PurgedByRecipient" || status == "PurgedByAltinn" }

    /// One status the overview tells, with Altinn's own time.
    public struct Event: Sendable, Equatable {
        public var status: ReceiptStatus
        public var at: Date?
        public var description: String?
        /// Nothing more will happen: polling stops.
        public var isFinal: Bool
    }

    /// The statuses this overview tells, in the order they happened (`internals.md` §2.2): published → LEVERT,
    /// read → LEST, purged by the recipient or Altinn → ANNET, final. Created and the steps before publishing are
    /// not statuses of ours.
    public var events: [Event] {
        var events: [Event] = []
        if let published { events.append(Event(status: .LEVERT, at: published, description: nil, isFinal: false)) }
        if let read { events.append(Event(status: .LEST, at: read, description: nil, isFinal: false)) }
        if isPurged {
            events.append(Event(status: .ANNET, at: statusChanged,
                                description: "Correspondence \(status ?? ""): deleted at Altinn, polling stops.",
                                isFinal: true))
        }
        return events
    }

    /// The status recorded when Altinn answers 404 or 410 for a correspondence.
    public static let goneDescription = "Melding slettet i Altinn, stopper polling."

    /// Reads the overview; Altinn's timestamps come with or without fractional seconds and offset.
    public static func decode(_ data: Data) throws -> CorrespondenceOverview {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            guard let date = OffsetDateTime(parsing: text)?.date else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                        debugDescription: "'\(text)' is not an ISO 8601 timestamp"))
            }
            return date
        }
        return try decoder.decode(CorrespondenceOverview.self, from: data)
    }
}
