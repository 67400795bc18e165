import Foundation
import Testing
@testable import NoarkExchange

@Suite struct TransformationTests {
    static let now = Date(timeIntervalSince1970: 1_710_000_000)  // 2024-03-09T16:00:00Z

    static func melding() throws -> Melding {
        try Melding(element: try XMLTree.parse(try Fixtures.data("melding.xml")))
    }

    static func transformed(_ melding: Melding) -> ArkivmeldingFromMelding {
        var n = 0
        return ArkivmeldingFromMelding(melding: melding, messageId: "9a4c5fd4-50b1-4bd3-8c5c-7d7c2e6f1a01",
                                       creator: "910077473", now: now, uuid: {
            n += 1
            return String(format: "00000000-0000-4000-8000-%012d", n)
        })
    }

    @Test func theMeldingBecomesAnArkivmeldingWithTheFieldsOfTheTransformationPage() throws {
        let result = Self.transformed(try Self.melding())
        let root = try XMLTree.parse(result.arkivmeldingXML)
        #expect(root.namespace == "http://www.arkivverket.no/standarder/noark5/arkivmelding")
        #expect(root.value("meldingId") == "9a4c5fd4-50b1-4bd3-8c5c-7d7c2e6f1a01")
        #expect(root.value("antallFiler") == "2")
        let mappe = try #require(root.child("mappe"))
        #expect(mappe.attributes["type"] == "saksmappe")
        #expect(mappe.value("tittel") == "Tilskudd til kulturtiltak 2024")
        #expect(mappe.value("offentligTittel") == "Tilskudd til kulturtiltak")
        #expect(mappe.value("saksaar") == "2024")
        #expect(mappe.value("sakssekvensnummer") == "1234")
        #expect(mappe.value("saksdato") == "2024-01-15")
        #expect(mappe.value("administrativEnhet") == "KULT")
        #expect(mappe.value("saksansvarlig") == "KNO")
        #expect(mappe.value("journalenhet") == "SENTRAL")
        #expect(mappe.value("saksstatus") == "Under behandling")
        #expect(mappe.value("referanseArkivdel") == "SAK1")
        #expect(mappe.child("skjerming")?.value("skjermingshjemmel") == "Offl. § 13")
        // saId 68286 is no UUID: the schema wants one.
        #expect(mappe.value("systemID") == "00000000-0000-4000-8000-000000000001")

        let jp = try #require(mappe.child("basisregistrering"))
        #expect(jp.attributes["type"] == "journalpost")
        #expect(jp.value("referanseForelderMappe") == mappe.value("systemID"))
        #expect(jp.value("tittel") == "Vedtak om tilskudd & midler")
        #expect(jp.value("offentligTittel") == "Vedtak om tilskudd")
        #expect(jp.value("journalaar") == "2024")
        #expect(jp.value("journalsekvensnummer") == "1234")
        #expect(jp.value("journalpostnummer") == "2")
        #expect(jp.value("journalposttype") == "Utgående dokument")
        #expect(jp.value("journalstatus") == "Ekspedert")
        #expect(jp.value("journaldato") == "2024-03-01")
        #expect(jp.value("dokumentetsDato") == "2024-02-29")
        #expect(jp.value("forfallsdato") == "2024-04-15")
        #expect(jp.value("antallVedlegg") == "1")
        let part = try #require(jp.child("korrespondansepart"))
        #expect(part.value("korrespondanseparttype") == "Mottaker")
        #expect(part.value("korrespondansepartNavn") == "Testkommune")
        #expect(part.value("postnummer") == "0101")
        #expect(part.value("saksbehandler") == "KNO")
        let avskrivning = try #require(jp.child("avskrivning"))
        #expect(avskrivning.value("avskrivningsmaate") == "Besvart med brev")
        #expect(avskrivning.value("referanseAvskrivesAvJournalpost") == "2024/1234-1")

        let beskrivelser = jp.children("dokumentbeskrivelse")
        #expect(beskrivelser.map { $0.value("tittel") } == ["Vedtak", "Vedlegg til vedtak"])
        #expect(beskrivelser.map { $0.value("tilknyttetRegistreringSom") } == ["Hoveddokument", "Vedlegg"])
        #expect(beskrivelser.map { $0.value("dokumentnummer") } == ["1", "2"])
        #expect(beskrivelser.map { $0.child("dokumentobjekt")?.value("referanseDokumentfil") } == ["vedtak.pdf", "vedlegg.txt"])
        #expect(beskrivelser.map { $0.child("dokumentobjekt")?.value("variantformat") } == ["Produksjonsformat", "Produksjonsformat"])

        #expect(result.documents.map(\.filename) == ["vedtak.pdf", "vedlegg.txt"])
        #expect(result.documents.map(\.mimeType) == ["application/pdf", "text/plain"])
        #expect(result.documents[0].data.starts(with: Data("%PDF".utf8)))
    }

    @Test(.enabled(if: Fixtures.xmllintPath != nil, "xmllint is not installed (Debian: libxml2-utils); scripts/test.sh installs it"))
    func theGeneratedArkivmeldingIsValidAgainstTheSchema() throws {
        let full = Self.transformed(try Self.melding())
        let fullErrors = try Fixtures.arkivmeldingSchemaErrors(full.arkivmeldingXML)
        #expect(fullErrors == nil)
        // The least an archive system may send: a title for the case and the post, nothing else.
        let minimal = Melding(journpost: .init(fields: ["jpInnhold": "Brev"], dokument: [
            .init(fields: ["veFilnavn": "", "veMimeType": "application/pdf"], fil: Data("%PDF-1.4".utf8)),
        ]), noarksak: .init(fields: ["saTittel": "Sak", "saSaar": "ikke et tall", "saDato": "i går"]))
        let small = Self.transformed(minimal)
        let smallErrors = try Fixtures.arkivmeldingSchemaErrors(small.arkivmeldingXML)
        #expect(smallErrors == nil)
        #expect(small.documents.map(\.filename) == ["dokument1.pdf"])
        // The check can fail: a saksmappe without its required saksstatus is refused.
        let broken = full.arkivmeldingXML.replacingOccurrences(of: "<saksstatus>Under behandling</saksstatus>", with: "")
        #expect(try Fixtures.arkivmeldingSchemaErrors(broken) != nil)
    }

    @Test func fileNamesAreMadeUniqueAndNeverArkivmeldingXml() {
        let pdf = Data("%PDF".utf8)
        let melding = Melding(journpost: .init(fields: ["jpInnhold": "x"], dokument: [
            .init(fields: ["veFilnavn": "brev.pdf"], fil: pdf),
            .init(fields: ["veFilnavn": "BREV.pdf"], fil: pdf),
            .init(fields: ["veFilnavn": "arkivmelding.xml", "veMimeType": "text/xml"], fil: pdf),
            .init(fields: ["veFilnavn": "../../etc/passwd"], fil: pdf),
            .init(fields: ["veFilnavn": "uten-fil.pdf"]),
        ]), noarksak: .init(fields: ["saTittel": "y"]))
        let names = ArkivmeldingFromMelding.documents(of: melding).map(\.filename)
        #expect(names == ["brev.pdf", "BREV-2.pdf", "arkivmelding-2.xml", "passwd"])
    }

    @Test func anArkivmeldingBecomesTheSameMeldingAgain() throws {
        let original = try Self.melding()
        let result = Self.transformed(original)
        let files = Dictionary(uniqueKeysWithValues: result.documents.map {
            ($0.filename, MeldingFromArkivmelding.File(data: $0.data, mimeType: $0.mimeType))
        })
        let back = try MeldingFromArkivmelding.melding(arkivmelding: Data(result.arkivmeldingXML.utf8)) { files[$0] }
        let jp = back.journpost
        #expect(jp["jpInnhold"] == "Vedtak om tilskudd & midler")
        #expect(jp["jpJaar"] == "2024")
        #expect(jp["jpNdoktype"] == "U")
        #expect(jp["jpStatus"] == "E")
        #expect(jp["jpDokdato"] == "2024-02-29")
        #expect(jp["jpUoff"] == "Offl. § 13")
        #expect(jp["jpSaar"] == "2024")
        #expect(jp.avsmot.first?["amIhtype"] == "1")
        #expect(jp.avsmot.first?["amAvskm"] == "BU")
        #expect(jp.dokument.map { $0["veFilnavn"] } == ["vedtak.pdf", "vedlegg.txt"])
        #expect(jp.dokument.map { $0["dlType"] } == ["H", "V"])
        #expect(jp.dokument.map { $0["veDokformat"] } == ["pdf", "txt"])
        #expect(jp.dokument.map(\.fil) == original.journpost.dokument.map(\.fil))
        #expect(back.noarksak["saTittel"] == "Tilskudd til kulturtiltak 2024")
        #expect(back.noarksak["saStatus"] == "B")
        #expect(back.noarksak["saAdmkort"] == "KULT")

        // And it survives the trip through the wire format.
        let reread = try Melding(element: try XMLTree.parse(back.write()))
        #expect(reread == back)
    }

    @Test(.enabled(if: Fixtures.xmllintPath != nil, "xmllint is not installed (Debian: libxml2-utils); scripts/test.sh installs it"))
    func theMeldingWeDeliverIsValidAgainstTheNoark4Schema() throws {
        let result = Self.transformed(try Self.melding())
        let files = Dictionary(uniqueKeysWithValues: result.documents.map {
            ($0.filename, MeldingFromArkivmelding.File(data: $0.data, mimeType: $0.mimeType))
        })
        let melding = try MeldingFromArkivmelding.melding(arkivmelding: Data(result.arkivmeldingXML.utf8)) { files[$0] }
        let errors = try Fixtures.meldingSchemaErrors(melding.write())
        #expect(errors == nil)
        // And the schema check can fail: a Melding without its noarksak is refused.
        let broken = melding.write().replacingOccurrences(of: "<noarksak>", with: "<sak>")
            .replacingOccurrences(of: "</noarksak>", with: "</sak>")
        #expect(try Fixtures.meldingSchemaErrors(broken) != nil)
    }

    @Test func anArkivmeldingThatNamesAMissingFileIsRefused() throws {
        let result = Self.transformed(try Self.melding())
        #expect(throws: MeldingFromArkivmelding.TransformError.missingFile("vedtak.pdf")) {
            try MeldingFromArkivmelding.melding(arkivmelding: Data(result.arkivmeldingXML.utf8)) { _ in nil }
        }
        #expect(throws: MeldingFromArkivmelding.TransformError.self) {
            try MeldingFromArkivmelding.melding(arkivmelding: Data("<foo/>".utf8)) { _ in nil }
        }
    }

    @Test func noark4DatesAreRead() {
        #expect(Noark4Codes.isoDate("2024-03-01") == "2024-03-01")
        #expect(Noark4Codes.isoDate("2024-03-01T10:00:00+01:00") == "2024-03-01")
        #expect(Noark4Codes.isoDate("20240301") == "2024-03-01")
        #expect(Noark4Codes.isoDate("01.03.2024") == "2024-03-01")
        #expect(Noark4Codes.isoDate("2024-13-01") == nil)
        #expect(Noark4Codes.isoDate("snart") == nil)
    }
}
