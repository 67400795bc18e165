import Foundation

/// arkivmelding → BEST/EDU (`Utvikling_Transformasjoner_arkivmelding_til_bestedu.md`): the `Melding` to deliver to
/// the archive system, with every document of the first journal post as `fil/base64`.
///
/// NOARK 5 words become NOARK 4 codes again (`Noark4Codes`); dates stay `yyyy-MM-dd`. Names from the
/// Enhetsregisteret (`sender.name`, `receiver.name`) are not looked up: the envelope carries the numbers only.
public enum MeldingFromArkivmelding {
    /// A file of the incoming message, by its name in the container.
    public struct File: Sendable {
        public var data: Data
        public var mimeType: String
        public init(data: Data, mimeType: String) {
            self.data = data
            self.mimeType = mimeType
        }
    }

    public enum TransformError: Error, Sendable, Equatable, CustomStringConvertible {
        case notArkivmelding(String)
        case noJournalpost
        case missingFile(String)

        public var description: String {
            switch self {
            case .notArkivmelding(let why): "arkivmelding.xml cannot be read: \(why)"
            case .noJournalpost: "arkivmelding.xml has no journalpost (basisregistrering or registrering) to deliver"
            case .missingFile(let name): "arkivmelding.xml refers to the file \"\(name)\", which is not in the message"
            }
        }
    }

    public static func melding(arkivmelding data: Data, file: (String) -> File?) throws(TransformError) -> Melding {
        let root: XMLTree
        do { root = try XMLTree.parse(data) } catch { throw .notArkivmelding("\(error)") }
        guard root.name == "arkivmelding" else { throw .notArkivmelding("the root element is \(root.name)") }
        let mappe = root.child("mappe")
        guard let registrering = mappe?.child("basisregistrering") ?? mappe?.child("registrering")
                ?? root.child("registrering") ?? root.child("basisregistrering") else { throw .noJournalpost }
        var dokumenter: [Melding.Dokument] = []
        for beskrivelse in registrering.children("dokumentbeskrivelse") {
            for objekt in beskrivelse.children("dokumentobjekt") {
                guard let name = objekt.value("referanseDokumentfil") else { continue }
                guard let content = file(name) else { throw .missingFile(name) }
                dokumenter.append(dokument(beskrivelse, objekt, filename: name, content: content))
            }
        }
        return Melding(journpost: journpost(registrering, mappe: mappe, dokumenter: dokumenter),
                       noarksak: noarksak(mappe, registrering: registrering))
    }

    private static func noarksak(_ mappe: XMLTree?, registrering: XMLTree) -> Melding.Noarksak {
        var sak = Melding.Noarksak()
        guard let mappe else {
            sak["saTittel"] = registrering.value("tittel") ?? ""
            sak["saStatus"] = "B"
            return sak
        }
        sak["saId"] = mappe.value("systemID")
        sak["saSaar"] = mappe.value("saksaar")
        sak["saSeknr"] = mappe.value("sakssekvensnummer")
        sak["saDato"] = mappe.value("saksdato")
        sak["saTittel"] = mappe.value("tittel") ?? ""
        sak["saStatus"] = Noark4Codes.saksstatus.code(mappe.value("saksstatus"))
        sak["saArkdel"] = mappe.value("referanseArkivdel")
        sak["saJenhet"] = mappe.value("journalenhet")
        sak["saOfftittel"] = mappe.value("offentligTittel")
        sak["saAdmkort"] = mappe.value("administrativEnhet")
        sak["saAnsvinit"] = mappe.value("saksansvarlig")
        return sak
    }

    private static func journpost(_ jp: XMLTree, mappe: XMLTree?, dokumenter: [Melding.Dokument]) -> Melding.Journpost {
        var post = Melding.Journpost(dokument: dokumenter)
        post["jpId"] = jp.value("systemID")
        post["jpInnhold"] = jp.value("tittel") ?? ""
        post["jpJaar"] = jp.value("journalaar")
        post["jpSeknr"] = jp.value("journalsekvensnummer")
        post["jpJpostnr"] = jp.value("journalpostnummer")
        post["jpJdato"] = jp.value("journaldato")
        post["jpForfdato"] = jp.value("forfallsdato")
        post["jpNdoktype"] = Noark4Codes.journalposttype.code(jp.value("journalposttype"))
        post["jpDokdato"] = jp.value("dokumentetsDato")
        post["jpStatus"] = Noark4Codes.journalstatus.code(jp.value("journalstatus"))
        post["jpArkdel"] = jp.value("referanseArkivdel")
        post["jpAntved"] = jp.value("antallVedlegg")
        post["jpOffinnhold"] = jp.value("offentligTittel")
        post["jpUoff"] = mappe?.child("skjerming")?.value("skjermingshjemmel")
        post["jpSaar"] = mappe?.value("saksaar")
        post["jpSaseknr"] = mappe?.value("sakssekvensnummer")
        let avskrivning = jp.child("avskrivning")
        post.avsmot = jp.children("korrespondansepart").map { part in
            var am = Melding.Avsmot()
            am["amNavn"] = part.value("korrespondansepartNavn")
            am["amIhtype"] = Noark4Codes.korrespondanseparttype.code(part.value("korrespondanseparttype"))
            am["amAdresse"] = part.value("postadresse")
            am["amPostnr"] = part.value("postnummer")
            am["amPoststed"] = part.value("poststed")
            am["amUtland"] = part.value("land")
            am["amAdmkort"] = part.value("administrativEnhet")
            am["amSbhinit"] = part.value("saksbehandler")
            if let avskrivning {
                am["amAvskm"] = avskrivning.value("avskrivningsmaate").map { Noark4Codes.avskrivningsmaate.code($0) }
                am["amAvsavdok"] = avskrivning.value("referanseAvskrivesAvJournalpost")
                am["amAvskdato"] = avskrivning.value("avskrivningsdato")
            }
            return am
        }
        return post
    }

    private static func dokument(_ beskrivelse: XMLTree, _ objekt: XMLTree, filename: String,
                                 content: File) -> Melding.Dokument {
        var dokument = Melding.Dokument(fil: content.data)
        dokument["dlRnr"] = beskrivelse.value("dokumentnummer")
        dokument["dlType"] = Noark4Codes.tilknyttetRegistreringSom.code(beskrivelse.value("tilknyttetRegistreringSom"))
        dokument["dbTittel"] = beskrivelse.value("tittel")
        dokument["veVariant"] = Noark4Codes.variantformat.code(objekt.value("variantformat"))
        dokument["veDokformat"] = FileTypes.dokformat(filename: filename, mimeType: content.mimeType)
        dokument["veFilnavn"] = filename
        dokument["veMimeType"] = content.mimeType
        return dokument
    }
}
