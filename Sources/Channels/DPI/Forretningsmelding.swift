import Foundation
import Model

/// The business message ("forretningsmelding") of a DPI send: a JSON SBD with a `digital` or `utskrift` object,
/// wrapped as `{"standardBusinessDocument": …}` and signed as a JWS (`internals.md` §2.6,
/// `innbyggerpost_dpi_digital_1_0.schema.json`, `…_utskrift_1_0.schema.json`).
///
/// The fingerprint of the document package and the Maskinporten token are known only once the package is
/// encrypted and the token fetched; `json(fingerprint:maskinportentoken:)` puts them in.
public struct Forretningsmelding: Sendable, Equatable {
    public enum Body: Sendable, Equatable {
        case digital(Digital)
        case utskrift(Utskrift)

        public var type: DPIMessageType {
            switch self {
            case .digital: .digital
            case .utskrift: .utskrift
            }
        }

        public var avsender: Avsender {
            switch self {
            case .digital(let digital): digital.avsender
            case .utskrift(let utskrift): utskrift.avsender
            }
        }
    }

    /// An ISO 6523 identifier as the DPI schemas write it: `{"authority": "iso6523-actorid-upis", "value": "0192:…"}`.
    public struct Identifikator: Sendable, Equatable, Codable {
        public var authority = "iso6523-actorid-upis"
        public var value: String

        public init(organisationNumber: String) { value = "0192:\(organisationNumber)" }

        /// The organisation number after the ICD.
        public var organisationNumber: String { value.split(separator: ":").last.map(String.init) ?? value }
    }

    public struct Avsender: Sendable, Equatable, Codable {
        public var virksomhetsidentifikator: Identifikator
        public var avsenderidentifikator: String?
        public var fakturaReferanse: String?
    }

    public struct Personmottaker: Sendable, Equatable, Codable {
        public var postkasseadresse: String
    }

    public struct Varsel: Sendable, Equatable {
        /// E-mail address or mobile number, from the contact register.
        public var address: String
        public var varslingstekst: String
        /// Days after delivery to notify: now and after seven days, as the upstream sends.
        public var repetisjoner: [Int] = [0, 7]
    }

    public struct Varsler: Sendable, Equatable, Encodable {
        public var epostvarsel: Varsel?
        public var smsvarsel: Varsel?

        enum CodingKeys: String, CodingKey { case epostvarsel, smsvarsel }
        enum EpostKeys: String, CodingKey { case epostadresse, varslingstekst, repetisjoner }
        enum SmsKeys: String, CodingKey { case mobiltelefonnummer, varslingstekst, repetisjoner }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            if let epostvarsel {
                var nested = container.nestedContainer(keyedBy: EpostKeys.self, forKey: .epostvarsel)
                try nested.encode(epostvarsel.address, forKey: .epostadresse)
                try nested.encode(epostvarsel.varslingstekst, forKey: .varslingstekst)
                try nested.encode(epostvarsel.repetisjoner, forKey: .repetisjoner)
            }
            if let smsvarsel {
                var nested = container.nestedContainer(keyedBy: SmsKeys.self, forKey: .smsvarsel)
                try nested.encode(smsvarsel.address, forKey: .mobiltelefonnummer)
                try nested.encode(smsvarsel.varslingstekst, forKey: .varslingstekst)
                try nested.encode(smsvarsel.repetisjoner, forKey: .repetisjoner)
            }
        }
    }

    /// `digital`: a letter to the citizen's digital mailbox.
    public struct Digital: Sendable, Equatable {
        public var avsender: Avsender
        public var mottaker: Personmottaker
        /// 3 or 4: the ID-porten level the citizen must log in with to open the letter.
        public var sikkerhetsnivaa: Int
        /// When the letter becomes visible in the mailbox.
        public var virkningstidspunkt: OffsetDateTime
        public var aapningskvittering: Bool
        /// The title shown before the citizen has logged in at `sikkerhetsnivaa`.
        public var ikkesensitivtittel: String
        public var spraak: String
        public var varsler: Varsler
    }

    /// `utskrift`: a letter printed and posted by the print provider.
    public struct Utskrift: Sendable, Equatable {
        public var avsender: Avsender
        public var mottaker: AdresseInformasjon
        /// `SORT_HVIT` or `FARGE`.
        public var utskriftstype: String
        public var retur: Retur
        /// `A` (priority) or `B` (economy).
        public var posttype: String
    }

    public struct AdresseInformasjon: Sendable, Equatable, Codable {
        public var navn: String?
        public var adresselinje1: String?
        public var adresselinje2: String?
        public var adresselinje3: String?
        public var adresselinje4: String?
        public var postnummer: String?
        public var poststed: String?
        public var land: String?
    }

    public struct Retur: Sendable, Equatable, Codable {
        public var mottaker: AdresseInformasjon
        /// `DIREKTE_RETUR` or `MAKULERING_MED_MELDING`.
        public var returposthaandtering: String
    }

    public var messageId: String
    public var conversationId: String
    /// The sending organisation's number (the SBD's sender).
    public var senderOrganisationNumber: String
    /// The postbox provider's (or print provider's) organisation number (the SBD's receiver).
    public var receiverOrganisationNumber: String
    public var creationDateAndTime: OffsetDateTime
    public var expectedResponseDateTime: OffsetDateTime?
    public var body: Body

    public init(messageId: String, conversationId: String, senderOrganisationNumber: String,
                receiverOrganisationNumber: String, creationDateAndTime: OffsetDateTime,
                expectedResponseDateTime: OffsetDateTime?, body: Body) {
        self.messageId = messageId
        self.conversationId = conversationId
        self.senderOrganisationNumber = senderOrganisationNumber
        self.receiverOrganisationNumber = receiverOrganisationNumber
        self.creationDateAndTime = creationDateAndTime
        self.expectedResponseDateTime = expectedResponseDateTime
        self.body = body
    }

    /// The JSON to sign, with the SHA-256 of the encrypted document package and the Maskinporten token.
    public func json(fingerprint: Data, maskinportentoken: String) throws -> Data {
        let document = Wrapper(standardBusinessDocument: .init(
            header: header, body: body, fingerprint: .init(digestValue: fingerprint.base64EncodedString()),
            maskinportentoken: maskinportentoken))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(document)
    }

    var header: Header {
        Header(sender: [.init(identifier: Identifikator(organisationNumber: senderOrganisationNumber))],
               receiver: [.init(identifier: Identifikator(organisationNumber: receiverOrganisationNumber))],
               documentIdentification: .init(standard: body.type.standard, instanceIdentifier: messageId,
                                             type: body.type.rawValue, creationDateAndTime: creationDateAndTime.description),
               businessScope: .init(scope: [.init(instanceIdentifier: conversationId, identifier: body.type.process ?? "",
                                                  scopeInformation: [.init(expectedResponseDateTime: expectedResponseDateTime?.description)])]))
    }
}

// MARK: The JSON shape

extension Forretningsmelding {
    struct Wrapper: Encodable {
        var standardBusinessDocument: Document
    }

    struct Fingerprint: Encodable {
        var digestMethod = "http://www.w3.org/2001/04/xmlenc#sha256"
        var digestValue: String
    }

    struct Document: Encodable {
        var header: Header
        var body: Body
        var fingerprint: Fingerprint
        var maskinportentoken: String

        private typealias Key = JSONKey

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(header, forKey: Key("standardBusinessDocumentHeader"))
            var message = container.nestedContainer(keyedBy: Key.self, forKey: Key(body.type.rawValue))
            try message.encode(body.avsender, forKey: Key("avsender"))
            try message.encode(fingerprint, forKey: Key("dokumentpakkefingeravtrykk"))
            try message.encode(maskinportentoken, forKey: Key("maskinportentoken"))
            switch body {
            case .digital(let digital):
                try message.encode(digital.mottaker, forKey: Key("mottaker"))
                try message.encode(digital.sikkerhetsnivaa, forKey: Key("sikkerhetsnivaa"))
                try message.encode(digital.virkningstidspunkt.description, forKey: Key("virkningstidspunkt"))
                try message.encode(digital.aapningskvittering, forKey: Key("aapningskvittering"))
                try message.encode(digital.ikkesensitivtittel, forKey: Key("ikkesensitivtittel"))
                try message.encode(digital.spraak, forKey: Key("spraak"))
                try message.encode(digital.varsler, forKey: Key("varsler"))
            case .utskrift(let utskrift):
                try message.encode(utskrift.mottaker, forKey: Key("mottaker"))
                try message.encode(utskrift.utskriftstype, forKey: Key("utskriftstype"))
                try message.encode(utskrift.retur, forKey: Key("retur"))
                try message.encode(utskrift.posttype, forKey: Key("posttype"))
            }
        }
    }

    struct Header: Encodable {
        struct Partner: Encodable { var identifier: Identifikator }
        struct DocumentIdentification: Encodable {
            var standard: String
            var typeVersion = "1.0"
            var instanceIdentifier: String
            var type: String
            var creationDateAndTime: String
        }
        struct BusinessScope: Encodable { var scope: [Scope] }
        struct Scope: Encodable {
            var type = "ConversationId"
            var instanceIdentifier: String
            var identifier: String
            var scopeInformation: [ScopeInformation]
        }
        struct ScopeInformation: Encodable { var expectedResponseDateTime: String? }

        var headerVersion = "1.0"
        var sender: [Partner]
        var receiver: [Partner]
        var documentIdentification: DocumentIdentification
        var businessScope: BusinessScope
    }
}
