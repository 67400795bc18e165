/// The business message of an SBD: one case per type that has a business message structure (`nextmove-api.md` §3.5).
public enum BusinessMessage: Sendable, Hashable {
    case status(StatusMessage)
    case arkivmelding(ArkivmeldingMessage)
    case arkivmeldingKvittering(ArkivmeldingKvitteringMessage)
    case avtalt(AvtaltMessage)
    case digital(DigitalMessage)
    case digitalDpv(DigitalDpvMessage)
    case print(PrintMessage)
    case dialogmelding(DialogmeldingMessage)
    case dialogmeldingKvittering(DialogmeldingKvitteringMessage)
    case innsynskrav(InnsynskravMessage)
    case publisering(PubliseringMessage)
    case einnsynKvittering(EinnsynKvitteringMessage)

    public var type: MessageType {
        switch self {
        case .status: .status
        case .arkivmelding: .arkivmelding
        case .arkivmeldingKvittering: .arkivmeldingKvittering
        case .avtalt: .avtalt
        case .digital: .digital
        case .digitalDpv: .digitalDpv
        case .print: .print
        case .dialogmelding: .dialogmelding
        case .dialogmeldingKvittering: .dialogmeldingKvittering
        case .innsynskrav: .innsynskrav
        case .publisering: .publisering
        case .einnsynKvittering: .einnsynKvittering
        }
    }

    /// The file name of the main document; nil for `dialogmelding_kvittering`, which has none.
    public var hoveddokument: String? {
        get {
            switch self {
            case .status(let m): m.hoveddokument
            case .arkivmelding(let m): m.hoveddokument
            case .arkivmeldingKvittering(let m): m.hoveddokument
            case .avtalt(let m): m.hoveddokument
            case .digital(let m): m.hoveddokument
            case .digitalDpv(let m): m.hoveddokument
            case .print(let m): m.hoveddokument
            case .dialogmelding(let m): m.hoveddokument
            case .dialogmeldingKvittering: nil
            case .innsynskrav(let m): m.hoveddokument
            case .publisering(let m): m.hoveddokument
            case .einnsynKvittering(let m): m.hoveddokument
            }
        }
        set {
            switch self {
            case .status(var m): m.hoveddokument = newValue; self = .status(m)
            case .arkivmelding(var m): m.hoveddokument = newValue; self = .arkivmelding(m)
            case .arkivmeldingKvittering(var m): m.hoveddokument = newValue; self = .arkivmeldingKvittering(m)
            case .avtalt(var m): m.hoveddokument = newValue; self = .avtalt(m)
            case .digital(var m): m.hoveddokument = newValue; self = .digital(m)
            case .digitalDpv(var m): m.hoveddokument = newValue; self = .digitalDpv(m)
            case .print(var m): m.hoveddokument = newValue; self = .print(m)
            case .dialogmelding(var m): m.hoveddokument = newValue; self = .dialogmelding(m)
            case .dialogmeldingKvittering: break
            case .innsynskrav(var m): m.hoveddokument = newValue; self = .innsynskrav(m)
            case .publisering(var m): m.hoveddokument = newValue; self = .publisering(m)
            case .einnsynKvittering(var m): m.hoveddokument = newValue; self = .einnsynKvittering(m)
            }
        }
    }

    /// The security level of `arkivmelding` and `digital`; nil for other types (setting it there does nothing).
    public var sikkerhetsnivaa: Int? {
        get {
            switch self {
            case .arkivmelding(let m): m.sikkerhetsnivaa
            case .digital(let m): m.sikkerhetsnivaa
            default: nil
            }
        }
        set {
            switch self {
            case .arkivmelding(var m): m.sikkerhetsnivaa = newValue; self = .arkivmelding(m)
            case .digital(var m): m.sikkerhetsnivaa = newValue; self = .digital(m)
            default: break
            }
        }
    }

    /// An empty business message of `type`; nil for `feil`, which has no structure.
    public static func empty(_ type: MessageType) -> BusinessMessage? {
        switch type {
        case .status: .status(StatusMessage())
        case .feil: nil
        case .arkivmelding: .arkivmelding(ArkivmeldingMessage())
        case .arkivmeldingKvittering: .arkivmeldingKvittering(ArkivmeldingKvitteringMessage())
        case .avtalt: .avtalt(AvtaltMessage())
        case .digital: .digital(DigitalMessage())
        case .digitalDpv: .digitalDpv(DigitalDpvMessage())
        case .print: .print(PrintMessage())
        case .dialogmelding: .dialogmelding(DialogmeldingMessage())
        case .dialogmeldingKvittering: .dialogmeldingKvittering(DialogmeldingKvitteringMessage())
        case .innsynskrav: .innsynskrav(InnsynskravMessage())
        case .publisering: .publisering(PubliseringMessage())
        case .einnsynKvittering: .einnsynKvittering(EinnsynKvitteringMessage())
        }
    }

    /// Decodes the message of `type` stored under `key`.
    static func decode<K: CodingKey>(_ type: MessageType, from container: KeyedDecodingContainer<K>, forKey key: K)
        throws -> BusinessMessage? {
        switch type {
        case .status: .status(try container.decode(StatusMessage.self, forKey: key))
        case .feil: nil
        case .arkivmelding: .arkivmelding(try container.decode(ArkivmeldingMessage.self, forKey: key))
        case .arkivmeldingKvittering:
            .arkivmeldingKvittering(try container.decode(ArkivmeldingKvitteringMessage.self, forKey: key))
        case .avtalt: .avtalt(try container.decode(AvtaltMessage.self, forKey: key))
        case .digital: .digital(try container.decode(DigitalMessage.self, forKey: key))
        case .digitalDpv: .digitalDpv(try container.decode(DigitalDpvMessage.self, forKey: key))
        case .print: .print(try container.decode(PrintMessage.self, forKey: key))
        case .dialogmelding: .dialogmelding(try container.decode(DialogmeldingMessage.self, forKey: key))
        case .dialogmeldingKvittering:
            .dialogmeldingKvittering(try container.decode(DialogmeldingKvitteringMessage.self, forKey: key))
        case .innsynskrav: .innsynskrav(try container.decode(InnsynskravMessage.self, forKey: key))
        case .publisering: .publisering(try container.decode(PubliseringMessage.self, forKey: key))
        case .einnsynKvittering: .einnsynKvittering(try container.decode(EinnsynKvitteringMessage.self, forKey: key))
        }
    }

    func encode<K: CodingKey>(into container: inout KeyedEncodingContainer<K>, forKey key: K) throws {
        switch self {
        case .status(let m): try container.encode(m, forKey: key)
        case .arkivmelding(let m): try container.encode(m, forKey: key)
        case .arkivmeldingKvittering(let m): try container.encode(m, forKey: key)
        case .avtalt(let m): try container.encode(m, forKey: key)
        case .digital(let m): try container.encode(m, forKey: key)
        case .digitalDpv(let m): try container.encode(m, forKey: key)
        case .print(let m): try container.encode(m, forKey: key)
        case .dialogmelding(let m): try container.encode(m, forKey: key)
        case .dialogmeldingKvittering(let m): try container.encode(m, forKey: key)
        case .innsynskrav(let m): try container.encode(m, forKey: key)
        case .publisering(let m): try container.encode(m, forKey: key)
        case .einnsynKvittering(let m): try container.encode(m, forKey: key)
        }
    }
}
