import Foundation

/// BEST/EDU → arkivmelding (`Utvikling_Transformasjoner_bestedu_til_arkivmelding.md`): the `arkivmelding.xml` to
/// send and the documents to attach.
///
/// The page maps fields one to one; `arkivmelding.xsd` adds what NOARK 4 does not have (creation dates and
/// creators, document numbers) and wants UUIDs and NOARK 5 words where NOARK 4 had numbers and codes. So: `saId`
/// and `jpId` become `systemID` when they are UUIDs (else a new UUID is made; the upstream copied them and produced
/// invalid documents), codes become words (`Noark4Codes`), dates become `yyyy-MM-dd`, integers that are not
/// integers are left out, and the creators are the sending organisation. The result validates against the schema.
public struct ArkivmeldingFromMelding: Sendable {
    /// A document to attach, in the order of the Melding.
    public struct Document: Sendable, Hashable {
        public var filename: String
        public var mimeType: String
        public var title: String?
        public var data: Data
    }

    public var arkivmeldingXML: String
    public var documents: [Document]

    /// - Parameters:
    ///   - messageId: the SBD's messageId (`meldingId`).
    ///   - creator: who is named as creator (`opprettetAv`, …): the sending organisation.
    ///   - uuid: makes the UUIDs the Melding lacks.
    public init(melding: Melding, messageId: String, creator: String, now: Date,
                uuid: () -> String = { UUID().uuidString.lowercased() }) {
        documents = Self.documents(of: melding)
        var w = XMLWriter()
        let context = Context(creator: creator, dateTime: Self.dateTime(now), date: Self.date(now))
        let sak = melding.noarksak
        let mappeId = Noark4Codes.uuid(sak["saId"]) ?? uuid()
        w.open("arkivmelding", ["xmlns": "http://www.arkivverket.no/standarder/noark5/arkivmelding",
                                "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance"])
        w.element("system", "integrasjonspunkt")
        w.element("meldingId", messageId)
        w.element("tidspunkt", context.dateTime)
        w.element("antallFiler", String(documents.count))
        w.open("mappe", ["xsi:type": "saksmappe"])
        w.element("systemID", mappeId)
        w.element("tittel", sak["saTittel"] ?? melding.journpost["jpInnhold"] ?? "")
        w.element("offentligTittel", sak["saOfftittel"])
        w.element("opprettetDato", context.dateTime)
        w.element("opprettetAv", creator)
        w.element("referanseArkivdel", sak["saArkdel"])
        if let hjemmel = melding.journpost["jpUoff"] {
            w.open("skjerming")
            w.element("tilgangsrestriksjon", melding.journpost["jpTgkode"] ?? hjemmel)
            w.element("skjermingshjemmel", hjemmel)
            w.element("skjermingMetadata", "tittel")
            w.close("skjerming")
        }
        Self.writeJournalpost(melding, mappeId: mappeId, documents: documents, context: context, uuid: uuid, into: &w)
        w.element("saksaar", Noark4Codes.integer(sak["saSaar"]))
        w.element("sakssekvensnummer", Noark4Codes.integer(sak["saSeknr"]))
        w.element("saksdato", Noark4Codes.isoDate(sak["saDato"]) ?? context.date)
        w.element("administrativEnhet", sak["saAdmkort"] ?? "")
        w.element("saksansvarlig", sak["saAnsvinit"] ?? "")
        w.element("journalenhet", sak["saJenhet"])
        w.element("saksstatus", Noark4Codes.saksstatus.word(sak["saStatus"]))
        w.close("mappe")
        w.close("arkivmelding")
        arkivmeldingXML = w.text
    }

    struct Context {
        var creator: String
        var dateTime: String
        var date: String
    }

    private static func writeJournalpost(_ melding: Melding, mappeId: String, documents: [Document],
                                         context: Context, uuid: () -> String, into w: inout XMLWriter) {
        let jp = melding.journpost
        w.open("basisregistrering", ["xsi:type": "journalpost"])
        w.element("systemID", Noark4Codes.uuid(jp["jpId"]) ?? uuid())
        w.element("opprettetDato", context.dateTime)
        w.element("opprettetAv", context.creator)
        w.element("arkivertDato", context.dateTime)
        w.element("arkivertAv", context.creator)
        w.element("referanseForelderMappe", mappeId)
        let withFiles = jp.dokument.filter { $0.fil != nil }
        for (index, (dokument, file)) in zip(withFiles, documents).enumerated() {
            writeDokumentbeskrivelse(dokument, file: file, index: index, context: context, uuid: uuid, into: &w)
        }
        w.element("tittel", jp["jpInnhold"] ?? melding.noarksak["saTittel"] ?? "")
        w.element("offentligTittel", jp["jpOffinnhold"])
        w.element("journalaar", Noark4Codes.integer(jp["jpJaar"] ?? jp["jpAaar"]))
        w.element("journalsekvensnummer", Noark4Codes.integer(jp["jpSeknr"]))
        w.element("journalpostnummer", Noark4Codes.integer(jp["jpJpostnr"]))
        w.element("journalposttype", Noark4Codes.journalposttype.word(jp["jpNdoktype"]))
        w.element("journalstatus", Noark4Codes.journalstatus.word(jp["jpStatus"]))
        w.element("journaldato", Noark4Codes.isoDate(jp["jpJdato"] ?? jp["jpDato"]) ?? context.date)
        w.element("dokumentetsDato", Noark4Codes.isoDate(jp["jpDokdato"] ?? jp["jpDokDato"]))
        w.element("forfallsdato", Noark4Codes.isoDate(jp["jpForfdato"]))
        w.element("antallVedlegg", Noark4Codes.integer(jp["jpAntved"]))
        for avsmot in jp.avsmot { writeKorrespondansepart(avsmot, into: &w) }
        for avsmot in jp.avsmot {
            guard let maate = Noark4Codes.avskrivningsmaate.optionalWord(avsmot["amAvskm"]) else { continue }
            w.open("avskrivning")
            w.element("avskrivningsdato", Noark4Codes.isoDate(avsmot["amAvskdato"]) ?? context.date)
            w.element("avskrevetAv", avsmot["amSbhinit"] ?? context.creator)
            w.element("avskrivningsmaate", maate)
            w.element("referanseAvskrivesAvJournalpost", avsmot["amAvsavdok"])
            w.close("avskrivning")
        }
        w.close("basisregistrering")
    }

    private static func writeKorrespondansepart(_ avsmot: Melding.Avsmot, into w: inout XMLWriter) {
        w.open("korrespondansepart")
        w.element("korrespondanseparttype", Noark4Codes.korrespondanseparttype.word(avsmot["amIhtype"]))
        w.element("korrespondansepartNavn", avsmot["amNavn"] ?? "")
        w.element("postadresse", avsmot["amAdresse"])
        w.element("postnummer", avsmot["amPostnr"])
        w.element("poststed", avsmot["amPoststed"])
        w.element("land", avsmot["amUtland"] ?? avsmot["amLand"])
        w.element("epostadresse", avsmot["amEpostadr"])
        w.element("administrativEnhet", avsmot["amAdmkort"])
        w.element("saksbehandler", avsmot["amSbhinit"])
        w.close("korrespondansepart")
    }

    private static func writeDokumentbeskrivelse(_ dokument: Melding.Dokument, file: Document, index: Int,
                                                 context: Context, uuid: () -> String, into w: inout XMLWriter) {
        w.open("dokumentbeskrivelse")
        w.element("systemID", uuid())
        w.element("dokumenttype", dokument["dbKategori"] ?? "")
        w.element("dokumentstatus", Noark4Codes.dokumentstatus.word(dokument["dbStatus"]))
        w.element("tittel", file.title ?? file.filename)
        w.element("opprettetDato", context.dateTime)
        w.element("opprettetAv", context.creator)
        let role = dokument["dlType"].map { Noark4Codes.tilknyttetRegistreringSom.word($0) }
            ?? (index == 0 ? "Hoveddokument" : "Vedlegg")
        w.element("tilknyttetRegistreringSom", role)
        w.element("dokumentnummer", Noark4Codes.integer(dokument["dlRnr"]) ?? String(index + 1))
        w.element("tilknyttetDato", context.dateTime)
        w.element("tilknyttetAv", context.creator)
        w.open("dokumentobjekt")
        w.element("versjonsnummer", "1")
        w.element("variantformat", Noark4Codes.variantformat.word(dokument["veVariant"]))
        w.element("opprettetDato", context.dateTime)
        w.element("opprettetAv", context.creator)
        w.element("referanseDokumentfil", file.filename)
        w.close("dokumentobjekt")
        w.close("dokumentbeskrivelse")
    }

    /// The documents that carry a file, with unique, non-empty file names other than `arkivmelding.xml`.
    static func documents(of melding: Melding) -> [Document] {
        var used: Set<String> = ["arkivmelding.xml"]
        var result: [Document] = []
        for dokument in melding.journpost.dokument {
            guard let data = dokument.fil else { continue }
            let mimeType = dokument["veMimeType"] ?? FileTypes.mimeType(forFilename: dokument["veFilnavn"] ?? "")
            var name = FileTypes.safeFilename(dokument["veFilnavn"] ?? "")
            if name.isEmpty {
                name = "dokument\(result.count + 1).\(dokument["veDokformat"]?.lowercased() ?? FileTypes.fileExtension(forMimeType: mimeType))"
            }
            name = FileTypes.unique(name, among: used)
            used.insert(name.lowercased())
            result.append(Document(filename: name, mimeType: mimeType, title: dokument["dbTittel"], data: data))
        }
        return result
    }

    static func dateTime(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    static func date(_ date: Date) -> String {
        String(dateTime(date).prefix(10))
    }
}
