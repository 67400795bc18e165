import Foundation
import Testing
@testable import Model

@Suite struct ArkivmeldingTests {
    @Test func parsesTheDigdirExample() throws {
        let summary = try ArkivmeldingSummary.parse(Data(ArkivmeldingFixture.example.utf8))
        #expect(summary.saksmappeSystemID == "43fbe161-7aac-4c9f-a888-d8167aab4144")
        #expect(summary.offentligTittel == "En offentlig tittel")
        #expect(summary.journalpostnummer == nil)
        #expect(summary.messageReference == nil)
        #expect(summary.referanseDokumentfiler == ["test.pdf"])
    }

    @Test func readsJournalpostnummerAndSeveralFiles() throws {
        let xml = """
        <arkivmelding xmlns="http://www.arkivverket.no/standarder/noark5/arkivmelding" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
          <mappe xsi:type="saksmappe"><systemID>S1</systemID>
            <basisregistrering xsi:type="journalpost"><journalpostnummer>7</journalpostnummer>
              <dokumentbeskrivelse><dokumentobjekt><referanseDokumentfil>a.pdf</referanseDokumentfil></dokumentobjekt></dokumentbeskrivelse>
              <dokumentbeskrivelse><dokumentobjekt><referanseDokumentfil>b.pdf</referanseDokumentfil></dokumentobjekt></dokumentbeskrivelse>
              <offentligTittel>T</offentligTittel>
            </basisregistrering>
            <basisregistrering xsi:type="journalpost"><offentligTittel>second</offentligTittel>
              <dokumentbeskrivelse><dokumentobjekt><referanseDokumentfil>c.pdf</referanseDokumentfil></dokumentobjekt></dokumentbeskrivelse>
            </basisregistrering>
          </mappe>
        </arkivmelding>
        """
        let s = try ArkivmeldingSummary.parse(Data(xml.utf8))
        #expect(s.messageReference == "S1-7")
        #expect(s.messageTitle == "T")
        #expect(s.referanseDokumentfiler == ["a.pdf", "b.pdf"])
    }

    @Test func streamsFromAFile() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("arkivmelding-\(UUID()).xml")
        try Data(ArkivmeldingFixture.example.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(try ArkivmeldingSummary.parse(contentsOf: url).offentligTittel == "En offentlig tittel")
    }

    @Test func errors() {
        let ns = "xmlns=\"http://www.arkivverket.no/standarder/noark5/arkivmelding\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""
        #expect(throws: ArkivmeldingError.noSaksmappe) {
            try ArkivmeldingSummary.parse(Data("<arkivmelding \(ns)><system>x</system></arkivmelding>".utf8))
        }
        #expect(throws: ArkivmeldingError.noJournalpost) {
            try ArkivmeldingSummary.parse(Data("<arkivmelding \(ns)><mappe xsi:type=\"saksmappe\"><systemID>x</systemID></mappe></arkivmelding>".utf8))
        }
        #expect(throws: ArkivmeldingError.unreadable) { try ArkivmeldingSummary.parse(Data("not xml".utf8)) }
        #expect(throws: ArkivmeldingError.unreadable) { try ArkivmeldingSummary.parse(Data("<other/>".utf8)) }
        #expect(ArkivmeldingError.noJournalpost.message == "No \"Journalpost\" found in Arkivmelding")
        #expect(ArkivmeldingError.unreadable.message == "Failed to get Arkivmelding")
    }
}
