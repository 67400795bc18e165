import Foundation
import Model

/// One forsendelse waiting in a SvarInn mailbox, as `GET /mottaker/hentNyeForsendelser` lists it (KS
/// "MottakService v1"). SvarInn writes numbers sometimes as numbers and sometimes as text, and dates as
/// milliseconds since 1970 or ISO 8601, so every field is read leniently; unknown fields are ignored.
public struct SvarInnForsendelse: Sendable, Equatable {
    public struct Adresse: Sendable, Equatable {
        public var orgnr: String?
        public var fnr: String?
        public var navn: String?
        public var adresse1: String?
        public var postnr: String?
        public var poststed: String?
        public var land: String?

        public init(orgnr: String? = nil, fnr: String? = nil, navn: String? = nil, adresse1: String? = nil,
                    postnr: String? = nil, poststed: String? = nil, land: String? = nil) {
            self.orgnr = orgnr
            self.fnr = fnr
            self.navn = navn
            self.adresse1 = adresse1
            self.postnr = postnr
            self.poststed = poststed
            self.land = land
        }
    }

    /// `metadataFraAvleverendeSystem`: the sender's NOARK numbers (0 or absent when unknown).
    public struct Metadata: Sendable, Equatable {
        public var sakssekvensnummer: Int?
        public var saksaar: Int?
        public var journalaar: Int?
        public var journalsekvensnummer: Int?
        public var journalpostnummer: Int?
        /// NOARK 4 code (`I`, `U`, …).
        public var journalposttype: String?
        public var journalstatus: String?
        public var journaldato: Date?
        public var dokumentetsDato: Date?
        public var tittel: String?
        public var saksbehandler: String?
        public var ekstraMetadata: [Forsendelse.MetadataEntry] = []

        public init() {}
    }

    /// What SvarInn says about each file inside the download.
    public struct Filmetadata: Sendable, Equatable {
        public var filnavn: String
        public var mimetype: String?
        /// Hex SHA-256 of the plain file.
        public var sha256hash: String?
        /// Bytes; 0 when unknown.
        public var size: Int64

        public init(filnavn: String, mimetype: String?, sha256hash: String?, size: Int64) {
            self.filnavn = filnavn
            self.mimetype = mimetype
            self.sha256hash = sha256hash
            self.size = size
        }
    }

    public var id: String
    public var tittel: String?
    public var mottaker: Adresse
    public var svarSendesTil: Adresse
    public var svarPaForsendelse: String?
    public var metadata: Metadata
    public var filmetadata: [Filmetadata]
    public var downloadUrl: String
    public var forsendelseType: String?
    public var eksternRef: String?

    public init(id: String, tittel: String?, mottaker: Adresse, svarSendesTil: Adresse, svarPaForsendelse: String?,
                metadata: Metadata, filmetadata: [Filmetadata], downloadUrl: String, forsendelseType: String? = nil,
                eksternRef: String? = nil) {
        self.id = id
        self.tittel = tittel
        self.mottaker = mottaker
        self.svarSendesTil = svarSendesTil
        self.svarPaForsendelse = svarPaForsendelse
        self.metadata = metadata
        self.filmetadata = filmetadata
        self.downloadUrl = downloadUrl
        self.forsendelseType = forsendelseType
        self.eksternRef = eksternRef
    }

    /// Reads the JSON array of `hentNyeForsendelser`. Entries without `id` or `downloadUrl` are skipped: they
    /// cannot be fetched nor answered.
    public static func list(from data: Data) throws -> [SvarInnForsendelse] {
        guard let array = try JSONSerialization.jsonObject(with: data) as? [Any] else {
            throw CocoaError(.propertyListReadCorrupt, userInfo: [NSDebugDescriptionErrorKey: "not a JSON array"])
        }
        return array.compactMap { ($0 as? [String: Any]).flatMap(SvarInnForsendelse.init(json:)) }
    }

    init?(json: [String: Any]) {
        guard let id = Self.text(json["id"]), let downloadUrl = Self.text(json["downloadUrl"]) else { return nil }
        self.id = id
        self.downloadUrl = downloadUrl
        tittel = Self.text(json["tittel"])
        mottaker = Self.address(json["mottaker"])
        svarSendesTil = Self.address(json["svarSendesTil"])
        svarPaForsendelse = Self.text(json["svarPaForsendelse"])
        forsendelseType = Self.text(json["forsendelseType"])
        eksternRef = Self.text(json["eksternRef"])
        metadata = Self.metadata(json["metadataFraAvleverendeSystem"] as? [String: Any] ?? [:])
        filmetadata = (json["filmetadata"] as? [[String: Any]] ?? []).compactMap { file in
            guard let name = Self.text(file["filnavn"]) else { return nil }
            return Filmetadata(filnavn: name, mimetype: Self.text(file["mimetype"]), sha256hash: Self.text(file["sha256hash"]),
                               size: Self.integer(file["size"]).map(Int64.init) ?? 0)
        }
    }

    private static func metadata(_ json: [String: Any]) -> Metadata {
        var m = Metadata()
        m.sakssekvensnummer = integer(json["sakssekvensnummer"])
        m.saksaar = integer(json["saksaar"])
        m.journalaar = integer(json["journalaar"])
        m.journalsekvensnummer = integer(json["journalsekvensnummer"])
        m.journalpostnummer = integer(json["journalpostnummer"])
        m.journalposttype = text(json["journalposttype"])
        m.journalstatus = text(json["journalstatus"])
        m.journaldato = date(json["journaldato"])
        m.dokumentetsDato = date(json["dokumentetsDato"])
        m.tittel = text(json["tittel"])
        m.saksbehandler = text(json["saksBehandler"]) ?? text(json["saksbehandler"])
        m.ekstraMetadata = (json["ekstraMetadata"] as? [[String: Any]] ?? []).compactMap { entry in
            guard let key = text(entry["key"]), let value = text(entry["value"]) else { return nil }
            return Forsendelse.MetadataEntry(key: key, value: value)
        }
        return m
    }

    private static func address(_ value: Any?) -> Adresse {
        let json = value as? [String: Any] ?? [:]
        return Adresse(orgnr: text(json["orgnr"]), fnr: text(json["fnr"]), navn: text(json["navn"]),
                       adresse1: text(json["adresse1"]) ?? text(json["adresselinje1"]), postnr: text(json["postnr"]),
                       poststed: text(json["poststed"]), land: text(json["land"]))
    }

    static func text(_ value: Any?) -> String? {
        switch value {
        case let string as String:
            let trimmed = string.trimmingCharacters(in: .whitespacesAndNewlines)
            return trimmed.isEmpty ? nil : trimmed
        case let number as NSNumber: return number.stringValue
        default: return nil
        }
    }

    static func integer(_ value: Any?) -> Int? {
        switch value {
        case let number as NSNumber: return number.intValue
        case let string as String: return Int(string.trimmingCharacters(in: .whitespaces))
        default: return nil
        }
    }

    /// Milliseconds since 1970 (number or text), or ISO 8601 text.
    static func date(_ value: Any?) -> Date? {
        if let number = value as? NSNumber { return Date(timeIntervalSince1970: number.doubleValue / 1000) }
        guard let text = text(value) else { return nil }
        if let millis = Double(text) { return Date(timeIntervalSince1970: millis / 1000) }
        if let parsed = OffsetDateTime(parsing: text) { return parsed.date }
        return LocalDate(parsing: String(text.prefix(10)))?.startOfDayInOslo.date
    }
}
