/// The NextMove business message types (`documentIdentification.type`, `nextmove-api.md` §3.5).
///
/// The raw value is the canonical name, which is also the JSON key of the business message in an SBD.
public enum MessageType: String, Codable, CaseIterable, Sendable {
    case status
    case feil
    case arkivmelding
    case arkivmeldingKvittering = "arkivmelding_kvittering"
    case avtalt
    case digital
    case digitalDpv = "digital_dpv"
    case print
    case dialogmelding
    case dialogmeldingKvittering = "dialogmelding_kvittering"
    case innsynskrav
    case publisering
    case einnsynKvittering = "einnsyn_kvittering"

    /// The JSON key of the business message (the canonical, lower-case name).
    public var fieldName: String { rawValue }

    /// Receipts: messages answering another message (no attachments required at send).
    public var isReceipt: Bool {
        switch self {
        case .arkivmeldingKvittering, .einnsynKvittering, .dialogmeldingKvittering: true
        default: false
        }
    }

    /// Whether a business message structure exists for the type (`feil` has none and cannot be posted).
    public var hasBusinessMessage: Bool { self != .feil }

    /// Case-insensitive lookup by name, as the upstream's `MessageType.valueOfType` and `BusinessMessageType.fromType`.
    public init?(name: String) {
        let lowered = name.lowercased()
        guard let type = MessageType.allCases.first(where: { $0.rawValue == lowered }) else { return nil }
        self = type
    }

    /// The order in which the SBD deserializer lists the valid types (`BusinessMessageType`), used in
    /// `Unknown BusinessMessageType = x. Expecting one of …`.
    public static let businessMessageTypes: [MessageType] = [
        .status, .arkivmelding, .arkivmeldingKvittering, .avtalt, .digital, .digitalDpv, .print, .dialogmelding,
        .dialogmeldingKvittering, .innsynskrav, .publisering, .einnsynKvittering,
    ]

    /// The order in which `UnknownMessageTypeException` lists the valid types (receipts left out).
    public static let unknownMessageTypeListing: [MessageType] = [
        .status, .feil, .arkivmelding, .avtalt, .digital, .digitalDpv, .print, .dialogmelding, .innsynskrav,
        .publisering,
    ]

    /// Business-message lookup by name: types with a business message only (`feil` is not one).
    public static func businessMessageType(named name: String) -> MessageType? {
        guard let type = MessageType(name: name), type.hasBusinessMessage else { return nil }
        return type
    }
}
