import Foundation
import Model
import NoarkExchange

/// What SvarUt is told about an outgoing arkivmelding: of the first saksmappe its year and sequence number, and of
/// its first journal post the titles, numbers, dates, correspondence parties, documents and simple business
/// metadata (`FiksRestMapper`/`FiksWebServiceMapper` read the same).
///
/// An arkivmelding is a small document (the files travel beside it), so it is read whole into a tree.
public struct ArkivmeldingJournalpost: Sendable, Equatable {
    public struct Korrespondansepart: Sendable, Equatable {
        /// The NOARK 5 word, e.g. `Avsender`.
        public var type: String
        public var navn: String?
        public var postadresse: [String]
        public var postnummer: String?
        public var poststed: String?
        public var land: String?
        public var saksbehandler: String?

        public var isAvsender: Bool { type.caseInsensitiveCompare("Avsender") == .orderedSame }
    }

    public struct Dokumentbeskrivelse: Sendable, Equatable {
        public var tilknyttetRegistreringSom: String?
        /// The files of its dokumentobjekt elements, in order.
        public var referanseDokumentfiler: [String]

        public var isHoveddokument: Bool {
            tilknyttetRegistreringSom?.caseInsensitiveCompare("Hoveddokument") == .orderedSame
        }
    }

    /// The largest arkivmelding.xml read (it describes files; it does not carry them).
    public static let maximumSize = 16 << 20

    public var saksaar: Int?
    public var sakssekvensnummer: Int?
    public var tittel: String?
    public var offentligTittel: String?
    public var journalaar: Int?
    public var journalsekvensnummer: Int?
    public var journalpostnummer: Int?
    public var journalposttype: String?
    public var journalstatus: String?
    public var journaldato: LocalDate?
    public var dokumentetsDato: LocalDate?
    public var korrespondanseparter: [Korrespondansepart] = []
    public var dokumentbeskrivelser: [Dokumentbeskrivelse] = []
    public var virksomhetsspesifikkeMetadata: [Forsendelse.MetadataEntry] = []

    /// The first `Avsender` correspondence party.
    public var avsender: Korrespondansepart? { korrespondanseparter.first(where: \.isAvsender) }

    /// Every referenced file, the hoveddokument's first, then the others in document order.
    public var referencedFiles: [String] {
        let ordered = dokumentbeskrivelser.filter(\.isHoveddokument) + dokumentbeskrivelser.filter { !$0.isHoveddokument }
        return ordered.flatMap(\.referanseDokumentfiler)
    }

    public init() {}

    /// Reads `arkivmelding.xml`; `ArkivmeldingError` as the API answers it when there is no saksmappe or journal post.
    public static func parse(_ data: Data) throws(ArkivmeldingError) -> ArkivmeldingJournalpost {
        guard data.count <= maximumSize else { throw .unreadable }
        let root: XMLTree
        do { root = try XMLTree.parse(data) } catch { throw .unreadable }
        guard root.name == "arkivmelding" else { throw .unreadable }
        guard let mappe = root.children("mappe").first(where: { Self.xsiType($0) == "saksmappe" }) ?? root.child("mappe")
        else { throw .noSaksmappe }
        guard let journalpost = mappe.children.first(where: {
            ($0.name == "basisregistrering" || $0.name == "registrering") && Self.xsiType($0) == "journalpost"
        }) ?? mappe.child("basisregistrering") ?? mappe.child("registrering") else { throw .noJournalpost }

        var result = ArkivmeldingJournalpost()
        result.saksaar = Self.integer(mappe.value("saksaar"))
        result.sakssekvensnummer = Self.integer(mappe.value("sakssekvensnummer"))
        result.tittel = journalpost.value("tittel")
        result.offentligTittel = journalpost.value("offentligTittel")
        result.journalaar = Self.integer(journalpost.value("journalaar"))
        result.journalsekvensnummer = Self.integer(journalpost.value("journalsekvensnummer"))
        result.journalpostnummer = Self.integer(journalpost.value("journalpostnummer"))
        result.journalposttype = journalpost.value("journalposttype")
        result.journalstatus = journalpost.value("journalstatus")
        result.journaldato = Self.date(journalpost.value("journaldato"))
        result.dokumentetsDato = Self.date(journalpost.value("dokumentetsDato"))
        result.korrespondanseparter = journalpost.children("korrespondansepart").compactMap { part in
            guard let type = part.value("korrespondanseparttype") else { return nil }
            return Korrespondansepart(type: type, navn: part.value("korrespondansepartNavn"),
                                      postadresse: part.children("postadresse").compactMap { Self.trimmed($0.text) },
                                      postnummer: part.value("postnummer"), poststed: part.value("poststed"),
                                      land: part.value("land"), saksbehandler: part.value("saksbehandler"))
        }
        result.dokumentbeskrivelser = journalpost.children("dokumentbeskrivelse").map { beskrivelse in
            Dokumentbeskrivelse(tilknyttetRegistreringSom: beskrivelse.value("tilknyttetRegistreringSom"),
                                referanseDokumentfiler: beskrivelse.children("dokumentobjekt").compactMap {
                                    $0.value("referanseDokumentfil")
                                })
        }
        // Only simple elements (text, no children) can travel as key/value pairs; the upstream skips the rest too.
        result.virksomhetsspesifikkeMetadata = journalpost.child("virksomhetsspesifikkeMetadata")?.children.compactMap {
            guard $0.children.isEmpty, let value = trimmed($0.text) else { return nil }
            return Forsendelse.MetadataEntry(key: $0.name, value: value)
        } ?? []
        return result
    }

    private static func xsiType(_ element: XMLTree) -> String? {
        element.attributes["type"].map { $0.split(separator: ":").last.map(String.init) ?? $0 }
    }

    private static func trimmed(_ text: String) -> String? {
        let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return value.isEmpty ? nil : value
    }

    private static func integer(_ text: String?) -> Int? { text.flatMap { Int($0) } }

    /// `xs:date` (`2024-03-01`, possibly with an offset) or a date-time; the date part.
    private static func date(_ text: String?) -> LocalDate? {
        guard let text, text.count >= 10 else { return nil }
        return LocalDate(parsing: String(text.prefix(10)))
    }
}
