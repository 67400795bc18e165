import Foundation

/// A NOARK 4 `Melding` (`noark4-1-ws-wd-types.xsd`, `MeldingType`): the journal post to exchange and a copy of its
/// case. The simple fields are kept by their NOARK 4 names (`jpInnhold`, `saTittel`, …) so nothing the archive
/// system sent is lost on the way through; ``write()`` puts them back in the schema's order.
public struct Melding: Sendable, Hashable {
    public static let namespace = "http://www.arkivverket.no/Noark4-1-WS-WD/types"

    public var journpost: Journpost
    public var noarksak: Noarksak

    public init(journpost: Journpost, noarksak: Noarksak) {
        self.journpost = journpost
        self.noarksak = noarksak
    }

    /// `NoarksakType`: its simple fields.
    public struct Noarksak: Sendable, Hashable {
        public var fields: [String: String]
        public init(fields: [String: String] = [:]) { self.fields = fields }
        public subscript(_ name: String) -> String? {
            get { fields[name] }
            set { fields[name] = newValue }
        }
        static let order = ["saId", "saSaar", "saSeknr", "saPapir", "saDato", "saTittel", "saU1", "saStatus",
                            "saArkdel", "saType", "saJenhet", "saTgkode", "saUoff", "saBevtid", "saKasskode",
                            "saKassdato", "saProsjekt", "saOfftittel", "saAdmkort", "saAdmbet", "saAnsvinit",
                            "saAnsvnavn", "saTggruppnavn"]
    }

    /// `JournpostType`: its simple fields, senders/receivers and documents.
    public struct Journpost: Sendable, Hashable {
        public var fields: [String: String]
        public var avsmot: [Avsmot]
        public var dokument: [Dokument]
        public init(fields: [String: String] = [:], avsmot: [Avsmot] = [], dokument: [Dokument] = []) {
            self.fields = fields
            self.avsmot = avsmot
            self.dokument = dokument
        }
        public subscript(_ name: String) -> String? {
            get { fields[name] }
            set { fields[name] = newValue }
        }
        static let order = ["jpId", "jpJaar", "jpSeknr", "jpJpostnr", "jpJdato", "jpNdoktype", "jpDokdato",
                            "jpStatus", "jpInnhold", "jpU1", "jpForfdato", "jpTgkode", "jpUoff", "jpAgdato",
                            "jpAgkode", "jpSaksdel", "jpU2", "jpArkdel", "jpTlkode", "jpAntved", "jpSaar",
                            "jpSaseknr", "jpOffinnhold", "jpTggruppnavn"]
    }

    /// `AvsmotType`: a sender or receiver of the journal post.
    public struct Avsmot: Sendable, Hashable {
        public var fields: [String: String]
        public init(fields: [String: String] = [:]) { self.fields = fields }
        public subscript(_ name: String) -> String? {
            get { fields[name] }
            set { fields[name] = newValue }
        }
        static let order = ["amId", "amOrgnr", "amIhtype", "amKopimot", "amBehansv", "amNavn", "amU1", "amKortnavn",
                            "amAdresse", "amPostnr", "amPoststed", "amUtland", "amEpostadr", "amRef", "amJenhet",
                            "amAvskm", "amAvskdato", "amFrist", "amForsend", "amAdmkort", "amAdmbet", "amSbhinit",
                            "amSbhnavn", "amAvsavdok", "amBesvardok"]
    }

    /// `DokumentType`: one document with its file (`fil/base64`).
    public struct Dokument: Sendable, Hashable {
        public var fields: [String: String]
        public var fil: Data?
        public init(fields: [String: String] = [:], fil: Data? = nil) {
            self.fields = fields
            self.fil = fil
        }
        public subscript(_ name: String) -> String? {
            get { fields[name] }
            set { fields[name] = newValue }
        }
        static let orderBeforeFil = ["dlRnr", "dlType", "dbKategori", "dbTittel", "dbStatus", "veVariant",
                                     "veDokformat"]
        static let orderAfterFil = ["veFilnavn", "veMimeType"]
    }
}

// MARK: Reading

extension Melding {
    /// Why a payload could not be read as a `Melding`.
    public enum ReadError: Error, Sendable, Equatable, CustomStringConvertible {
        case missing(String)
        case badBase64(document: Int)

        public var description: String {
            switch self {
            case .missing(let element): "the Melding has no \(element) element"
            case .badBase64(let index): "dokument \(index) of the Melding has a fil/base64 that is not valid base64"
            }
        }
    }

    /// Reads a `Melding` element (its children may be qualified or not).
    public init(element: XMLTree) throws(ReadError) {
        guard let journpost = element.child("journpost") else { throw .missing("journpost") }
        guard let noarksak = element.child("noarksak") else { throw .missing("noarksak") }
        var dokumenter: [Dokument] = []
        for (index, dokument) in journpost.children("dokument").enumerated() {
            var fil: Data?
            if let base64 = dokument.child("fil")?.child("base64")?.text {
                let cleaned = base64.filter { !$0.isWhitespace }
                guard let data = Data(base64Encoded: cleaned) else { throw .badBase64(document: index + 1) }
                fil = data
            }
            dokumenter.append(Dokument(fields: Self.simpleFields(of: dokument), fil: fil))
        }
        self.init(
            journpost: Journpost(fields: Self.simpleFields(of: journpost),
                                 avsmot: journpost.children("avsmot").map { Avsmot(fields: Self.simpleFields(of: $0)) },
                                 dokument: dokumenter),
            noarksak: Noarksak(fields: Self.simpleFields(of: noarksak)))
    }

    private static func simpleFields(of element: XMLTree) -> [String: String] {
        var fields: [String: String] = [:]
        for child in element.children where child.children.isEmpty {
            let value = child.text.trimmingCharacters(in: .whitespacesAndNewlines)
            if !value.isEmpty, fields[child.name] == nil { fields[child.name] = value }
        }
        return fields
    }
}

// MARK: Writing

extension Melding {
    /// The `Melding` as an XML document, fields in the schema's order, children unqualified as the schema says.
    public func write(declaration: Bool = true) -> String {
        var w = XMLWriter(declaration: declaration)
        w.open("n4:Melding", ["xmlns:n4": Self.namespace])
        w.open("journpost")
        for name in Journpost.order { w.element(name, journpost[name]) }
        for avsmot in journpost.avsmot {
            w.open("avsmot")
            for name in Avsmot.order { w.element(name, avsmot[name]) }
            w.close("avsmot")
        }
        for dokument in journpost.dokument {
            w.open("dokument")
            for name in Dokument.orderBeforeFil { w.element(name, dokument[name]) }
            if let fil = dokument.fil {
                w.open("fil")
                w.element("base64", fil.base64EncodedString())
                w.close("fil")
            }
            // Both are required by the schema.
            w.element("veFilnavn", dokument["veFilnavn"] ?? "")
            w.element("veMimeType", dokument["veMimeType"] ?? "")
            w.close("dokument")
        }
        w.close("journpost")
        w.open("noarksak")
        for name in Noarksak.order { w.element(name, noarksak[name]) }
        w.close("noarksak")
        w.close("n4:Melding")
        return w.text
    }
}
