import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// What the integration point reads from an uploaded `arkivmelding.xml` (Noark 5 arkivmelding): the first
/// saksmappe's `systemID`, and of its first journalpost the `offentligTittel`, `tittel`, `journalpostnummer` and every
/// `dokumentbeskrivelse/dokumentobjekt/referanseDokumentfil` (`nextmove-api.md` §2.2.3, §4.4).
public struct ArkivmeldingSummary: Sendable, Hashable {
    public static let namespace = "http://www.arkivverket.no/standarder/noark5/arkivmelding"

    public var saksmappeSystemID: String?
    public var journalpostnummer: String?
    public var offentligTittel: String?
    /// The journalpost's own `tittel` (DPV's message body; its title when there is no `offentligTittel`).
    public var journalpostTittel: String?
    public var referanseDokumentfiler: [String]

    public init(saksmappeSystemID: String? = nil, journalpostnummer: String? = nil, offentligTittel: String? = nil,
                journalpostTittel: String? = nil, referanseDokumentfiler: [String] = []) {
        self.saksmappeSystemID = saksmappeSystemID
        self.journalpostnummer = journalpostnummer
        self.offentligTittel = offentligTittel
        self.journalpostTittel = journalpostTittel
        self.referanseDokumentfiler = referanseDokumentfiler
    }

    /// The conversation's `messageTitle`.
    public var messageTitle: String? { offentligTittel }

    /// The conversation's `messageReference`: `<saksmappe.systemID>-<journalpostnummer>` when there is a
    /// journalpostnummer, else nil (keep the default).
    public var messageReference: String? {
        guard let journalpostnummer else { return nil }
        return "\(saksmappeSystemID ?? "null")-\(journalpostnummer)"
    }

    /// Parses an arkivmelding document.
    public static func parse(_ data: Data) throws(ArkivmeldingError) -> ArkivmeldingSummary {
        try run(XMLParser(data: data))
    }

    /// Parses an arkivmelding file, streaming it.
    public static func parse(contentsOf url: URL) throws(ArkivmeldingError) -> ArkivmeldingSummary {
        guard let stream = InputStream(url: url) else { throw .unreadable }
        return try run(XMLParser(stream: stream))
    }

    private static func run(_ parser: XMLParser) throws(ArkivmeldingError) -> ArkivmeldingSummary {
        let reader = ArkivmeldingReader()
        parser.shouldProcessNamespaces = true
        parser.shouldResolveExternalEntities = false
        parser.delegate = reader
        guard parser.parse(), reader.sawRoot else { throw .unreadable }
        guard reader.foundSaksmappe else { throw .noSaksmappe }
        guard reader.foundJournalpost else { throw .noJournalpost }
        return reader.summary
    }
}

/// Why an `arkivmelding.xml` was refused (upstream: 500; we answer 400).
public enum ArkivmeldingError: Error, Sendable, Equatable, CustomStringConvertible {
    case noSaksmappe
    case noJournalpost
    case unreadable

    public var message: String {
        switch self {
        case .noSaksmappe: "No \"Saksmappe\" found in Arkivmelding"
        case .noJournalpost: "No \"Journalpost\" found in Arkivmelding"
        case .unreadable: "Failed to get Arkivmelding"
        }
    }

    public var exception: String {
        switch self {
        case .noSaksmappe, .noJournalpost: "no.difi.meldingsutveksling.arkivmelding.ArkivmeldingRuntimeException"
        case .unreadable: "no.difi.meldingsutveksling.nextmove.NextMoveRuntimeException"
        }
    }

    public var description: String { message }
}

private final class ArkivmeldingReader: NSObject, XMLParserDelegate {
    var summary = ArkivmeldingSummary()
    var sawRoot = false
    var foundSaksmappe = false
    var foundJournalpost = false

    private var stack: [String] = []
    private var saksmappeDepth: Int?
    private var journalpostDepth: Int?
    private var text = ""

    private static func xsiType(_ attributes: [String: String]) -> String? {
        for (key, value) in attributes where key == "type" || key.hasSuffix(":type") {
            return value.split(separator: ":").last.map(String.init)
        }
        return nil
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        if stack.isEmpty {
            guard name == "arkivmelding", namespaceURI == nil || namespaceURI == ArkivmeldingSummary.namespace
                    || namespaceURI == "" else {
                parser.abortParsing()
                return
            }
            sawRoot = true
        }
        stack.append(name)
        text = ""
        let depth = stack.count
        if depth == 2, name == "mappe", !foundSaksmappe, Self.xsiType(attributes) == "saksmappe" {
            foundSaksmappe = true
            saksmappeDepth = depth
        } else if let s = saksmappeDepth, depth == s + 1, !foundJournalpost,
                  name == "basisregistrering" || name == "registrering", Self.xsiType(attributes) == "journalpost" {
            foundJournalpost = true
            journalpostDepth = depth
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        text += string
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        let depth = stack.count
        let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if let s = saksmappeDepth, depth == s + 1, name == "systemID" {
            summary.saksmappeSystemID = value
        }
        if let j = journalpostDepth {
            if depth == j + 1, name == "offentligTittel" { summary.offentligTittel = value }
            if depth == j + 1, name == "tittel" { summary.journalpostTittel = value }
            if depth == j + 1, name == "journalpostnummer" { summary.journalpostnummer = value }
            if depth == j + 3, name == "referanseDokumentfil", stack[j] == "dokumentbeskrivelse",
               stack[j + 1] == "dokumentobjekt" {
                summary.referanseDokumentfiler.append(value)
            }
            if depth == j { journalpostDepth = nil }
        }
        if let s = saksmappeDepth, depth == s { saksmappeDepth = nil }
        stack.removeLast()
        text = ""
    }
}
