/// The status values a conversation goes through (`nextmove-api.md` §5.1).
///
/// The raw values are the upstream wire names; they appear in JSON, in webhook events and in the database.
public enum ReceiptStatus: String, Codable, CaseIterable, Sendable {
    case OPPRETTET, SENDT, MOTTATT, LEVERT, LEST, FEIL, ANNET
    case INNKOMMENDE_MOTTATT, INNKOMMENDE_LEVERT, LEVETID_UTLOPT

    /// Registering this status completes the conversation (`finished = true`).
    public var finishesConversation: Bool {
        switch self {
        case .LEVERT, .LEST, .FEIL, .LEVETID_UTLOPT, .INNKOMMENDE_LEVERT: true
        default: false
        }
    }

    /// Registering this status stops status polling (`pollable = false`).
    public var stopsPolling: Bool {
        switch self {
        case .LEST, .FEIL, .LEVETID_UTLOPT, .INNKOMMENDE_LEVERT: true
        default: false
        }
    }
}

extension ReceiptStatus {
    /// The upstream description registered with `LEVETID_UTLOPT` when a message expires before it is sent.
    public static let expiredDescription = "Levetiden for meldingen er utgått. Må sendes på nytt"
}
