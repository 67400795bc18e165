/// The business message types of the DPI JSON API ("innbyggerpost"): the two we send and the receipts corner 2
/// returns (`internals.md` §2.6).
public enum DPIMessageType: String, Sendable, CaseIterable, Codable {
    case digital, utskrift, flyttet
    case feil, leveringskvittering, aapningskvittering, varslingfeiletkvittering, mottakskvittering, returpostkvittering

    /// `documentIdentification.standard`.
    public var standard: String {
        "urn:fdc:digdir.no:2020:innbyggerpost:xsd::innbyggerpost##urn:fdc:digdir.no:2020:innbyggerpost:schema:\(rawValue)::1.0"
    }

    /// The process (the ConversationId scope's `identifier`) of the types a sender writes; receipts have none.
    public var process: String? {
        isOutgoing ? "urn:fdc:digdir.no:2020:profile:egovernment:innbyggerpost:\(rawValue):ver1.0" : nil
    }

    public var isOutgoing: Bool { self == .digital || self == .utskrift || self == .flyttet }

    /// The type named by a received document (`documentIdentification.type`), ignoring case as the upstream does.
    public init?(name: String) {
        guard let type = Self.allCases.first(where: { $0.rawValue.caseInsensitiveCompare(name) == .orderedSame }) else {
            return nil
        }
        self = type
    }
}
