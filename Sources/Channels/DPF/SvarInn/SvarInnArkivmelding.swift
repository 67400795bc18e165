import Foundation
import Model
import NoarkExchange

/// The `arkivmelding.xml` the integration point writes for a forsendelse from SvarInn, which carries no
/// arkivmelding of its own (`SvarInnNextMoveConverter`, `Utvikling_Transformasjoner_ks_svarinn_til_arkivmelding.md`):
/// a saksmappe and a journalpost from `metadataFraAvleverendeSystem`, the sender (`svarSendesTil`) as `Avsender`,
/// and one dokumentbeskrivelse per file, the first as hoveddokument.
///
/// The result validates against `arkivmelding.xsd`: where SvarInn has no value for a required element, it gets
/// the conversion's own (the dates of today, `Under behandling`, the NOARK 4 defaults `I`/`R` as words), and the
/// ekstraMetadata whose keys are XML names become `virksomhetsspesifikkeMetadata` elements (`[U]`: the
/// transformation page lists no target for them).
public enum SvarInnArkivmelding {
    public static let filename = "arkivmelding.xml"
    static let system = "integrasjonspunkt"

    /// - Parameters:
    ///   - files: the checked files, in the order they go into the container.
    ///   - uuid: makes the systemIDs (injected for tests).
    public static func xml(_ forsendelse: SvarInnForsendelse, files: [SvarInnUnpacker.File], now: Date,
                           uuid: () -> String = { UUID().uuidString.lowercased() }) -> String {
        let m = forsendelse.metadata
        let creator = forsendelse.svarSendesTil.navn ?? forsendelse.svarSendesTil.orgnr ?? system
        let dateTime = OsloTime.format(now)
        let today = String(OffsetDateTime(oslo: now).description.prefix(10))
        let mappeID = uuid()
        var w = XMLWriter()
        w.open("arkivmelding", ["xmlns": ArkivmeldingSummary.namespace, "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance"])
        w.element("system", system)
        w.element("meldingId", forsendelse.id)
        w.element("tidspunkt", dateTime)
        w.element("antallFiler", String(files.count))
        w.open("mappe", ["xsi:type": "saksmappe"])
        w.element("systemID", mappeID)
        w.element("tittel", forsendelse.tittel ?? m.tittel ?? "")
        w.element("opprettetDato", dateTime)
        w.element("opprettetAv", creator)
        w.open("basisregistrering", ["xsi:type": "journalpost"])
        w.element("systemID", uuid())
        w.element("opprettetDato", dateTime)
        w.element("opprettetAv", creator)
        w.element("arkivertDato", dateTime)
        w.element("arkivertAv", creator)
        w.element("referanseForelderMappe", mappeID)
        for (index, file) in files.enumerated() {
            writeDokumentbeskrivelse(file, index: index, dateTime: dateTime, creator: creator, uuid: uuid, into: &w)
        }
        w.element("tittel", forsendelse.tittel ?? m.tittel ?? "")
        w.element("offentligTittel", m.tittel ?? forsendelse.tittel)
        let metadata = m.ekstraMetadata.filter { isXMLName($0.key) }
        if !metadata.isEmpty {
            w.open("virksomhetsspesifikkeMetadata")
            for entry in metadata { w.element(entry.key, entry.value) }
            w.close("virksomhetsspesifikkeMetadata")
        }
        w.element("journalaar", m.journalaar.map(String.init))
        w.element("journalsekvensnummer", m.journalsekvensnummer.map(String.init))
        w.element("journalpostnummer", m.journalpostnummer.map(String.init))
        w.element("journalposttype", NoarkCodes.journalposttypeWord(m.journalposttype))
        w.element("journalstatus", NoarkCodes.journalstatusWord(m.journalstatus))
        w.element("journaldato", m.journaldato.map(date) ?? today)
        w.element("dokumentetsDato", m.dokumentetsDato.map(date))
        writeAvsender(forsendelse.svarSendesTil, saksbehandler: m.saksbehandler, into: &w)
        w.close("basisregistrering")
        w.element("saksaar", m.saksaar.map(String.init))
        w.element("sakssekvensnummer", m.sakssekvensnummer.map(String.init))
        w.element("saksdato", today)
        w.element("administrativEnhet", "")
        w.element("saksansvarlig", m.saksbehandler ?? "")
        w.element("saksstatus", "Under behandling")
        w.close("mappe")
        w.close("arkivmelding")
        return w.text
    }

    private static func writeDokumentbeskrivelse(_ file: SvarInnUnpacker.File, index: Int, dateTime: String,
                                                 creator: String, uuid: () -> String, into w: inout XMLWriter) {
        w.open("dokumentbeskrivelse")
        w.element("systemID", uuid())
        w.element("dokumenttype", "")
        w.element("dokumentstatus", "Dokumentet er ferdigstilt")
        w.element("tittel", file.filename)
        w.element("opprettetDato", dateTime)
        w.element("opprettetAv", creator)
        w.element("tilknyttetRegistreringSom", index == 0 ? "Hoveddokument" : "Vedlegg")
        w.element("dokumentnummer", String(index + 1))
        w.element("tilknyttetDato", dateTime)
        w.element("tilknyttetAv", creator)
        w.open("dokumentobjekt")
        w.element("versjonsnummer", "1")
        w.element("variantformat", "Produksjonsformat")
        w.element("opprettetDato", dateTime)
        w.element("opprettetAv", creator)
        w.element("referanseDokumentfil", file.filename)
        w.close("dokumentobjekt")
        w.close("dokumentbeskrivelse")
    }

    private static func writeAvsender(_ avsender: SvarInnForsendelse.Adresse, saksbehandler: String?, into w: inout XMLWriter) {
        w.open("korrespondansepart")
        w.element("korrespondanseparttype", "Avsender")
        w.element("korrespondansepartNavn", avsender.navn ?? avsender.orgnr ?? "")
        w.element("postadresse", avsender.adresse1)
        w.element("postnummer", avsender.postnr)
        w.element("poststed", avsender.poststed)
        w.element("land", avsender.land)
        w.element("saksbehandler", saksbehandler)
        w.close("korrespondansepart")
    }

    /// The Oslo date of an instant, `yyyy-MM-dd`.
    static func date(_ instant: Date) -> String { String(OffsetDateTime(oslo: instant).description.prefix(10)) }

    /// Whether `name` can be an element name without a prefix (letters, digits, `_`, `-`, `.`; not starting with a
    /// digit, `-` or `.`; not `xml…`).
    static func isXMLName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, !name.lowercased().hasPrefix("xml") else { return false }
        let start = CharacterSet.letters.union(CharacterSet(charactersIn: "_"))
        let rest = start.union(.decimalDigits).union(CharacterSet(charactersIn: "-."))
        return start.contains(first) && name.unicodeScalars.allSatisfy { rest.contains($0) }
    }
}
