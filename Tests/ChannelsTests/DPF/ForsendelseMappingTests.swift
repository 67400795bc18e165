import Channels
import Foundation
import Model
import NoarkExchange
import Testing

@Suite("DPF: the Forsendelse mapped from arkivmelding.xml, the SBD and the registry, and its two encodings")
struct ForsendelseMappingTests {
    @Test("every field as internals.md §2.3 lists it")
    func mapsEveryField() throws {
        let f = try DPFFixtures.forsendelse()
        #expect(f.tittel == "Vedtak i byggesak")  // offentligTittel, not tittel
        #expect(f.eksternReferanse == DPFFixtures.messageId)
        #expect(f.forsendelseType == "Byggesak")
        #expect(f.svarPaForsendelse == DPFFixtures.receiverRef)
        #expect(f.sikkerhetsnivaa == .hoyeste)
        #expect(f.konteringskode == "K-123")
        #expect(f.kryptert && !f.kunDigitalLevering)
        #expect(f.avgivendeSystem == "")
        #expect(f.printkonfigurasjon.tosidig && !f.printkonfigurasjon.fargePrint && f.printkonfigurasjon.brevtype == "BPOST")
        #expect(f.mottaker == .init(orgnr: "910075918", navn: "Kommune B", adresse1: "Kongens gate 1", postnr: "7011",
                                    poststed: "Trondheim", land: "Norge"))
        // The Avsender correspondence party wins over the registry; its address lines are joined.
        #expect(f.svarSendesTil == .init(orgnr: "910077473", navn: "Kommune A & Co", adresse1: "Rådhuset Postboks 1",
                                         postnr: "0037", poststed: "Oslo", land: "Norge"))
        let m = f.metadataFraAvleverendeSystem
        let numbers: [Int] = [m.saksaar, m.sakssekvensnummer, m.journalaar, m.journalsekvensnummer, m.journalpostnummer]
        #expect(numbers == [2024, 11, 2024, 1234, 7])
        #expect(m.journalposttype == "U" && m.journalstatus == "J")
        #expect(m.journaldato == LocalDate(year: 2024, month: 3, day: 1))
        #expect(m.dokumentetsDato == LocalDate(year: 2024, month: 2, day: 28))
        #expect(m.tittel == "Vedtak i byggesak" && m.saksbehandler == "Ola Saksbehandler")
        // Only simple elements of virksomhetsspesifikkeMetadata travel.
        #expect(m.ekstraMetadata == [.init(key: "gnr", value: "12"), .init(key: "bnr", value: "34")])
        // The hoveddokument first; arkivmelding.xml itself is not a document; a .dwg named in the setting is out of print.
        #expect(f.dokumenter == [.init(filnavn: "vedtak.pdf", mimetype: "application/pdf", ekskluderesFraPrint: false),
                                 .init(filnavn: "tegning.dwg", mimetype: "image/vnd.dwg", ekskluderesFraPrint: true)])
        #expect(ForsendelseMapper.forsendelseId(for: try DPFFixtures.sbd()) == DPFFixtures.senderRef)
    }

    @Test("fallbacks: the sender's registry record without an Avsender, 0192 Oslo without a postal address, messageId as id")
    func fallbacks() throws {
        var xml = String(decoding: try DPFFixtures.data("dpf-arkivmelding.xml"), as: UTF8.self)
        xml = xml.replacingOccurrences(of: "<korrespondanseparttype>Avsender</korrespondanseparttype>",
                                       with: "<korrespondanseparttype>Kopimottaker</korrespondanseparttype>")
        let arkivmelding = try ArkivmeldingJournalpost.parse(Data(xml.utf8))
        let noAddress = InfoRecord(identifier: "910075918", organizationName: "Kommune B")
        let f = try ForsendelseMapper(settings: .init()).forsendelse(
            sbd: try DPFFixtures.sbd(sikkerhetsnivaa: 3, forsendelseType: nil, senderRef: "not-a-uuid"),
            arkivmelding: arkivmelding, files: DPFFixtures.files, receiverInfo: noAddress, senderInfo: DPFFixtures.senderInfo)
        #expect(f.svarSendesTil == .init(orgnr: "910077473", navn: "Kommune A (registeret)", adresse1: "Registerveien 9",
                                         postnr: "0150", poststed: "Oslo"))
        #expect(f.mottaker == .init(orgnr: "910075918", navn: "Kommune B", postnr: "0192", poststed: "Oslo", land: "Norge"))
        #expect(f.metadataFraAvleverendeSystem.saksbehandler == nil)
        #expect(f.sikkerhetsnivaa == .betydelig && f.forsendelseType == nil)
        // Without the setting, non-PDFs keep SvarUt's default.
        #expect(f.dokumenter.map(\.ekskluderesFraPrint) == [false, nil])
        #expect(ForsendelseMapper.forsendelseId(for: try DPFFixtures.sbd(senderRef: "not-a-uuid")) == DPFFixtures.messageId)
    }

    @Test("`*` excludes every non-PDF from print; a referenced file that was not uploaded is refused")
    func printExclusionAndMissingFiles() throws {
        let mapper = ForsendelseMapper(settings: .init(ekskluderesFraPrint: ["*"]))
        let arkivmelding = try ArkivmeldingJournalpost.parse(try DPFFixtures.data("dpf-arkivmelding.xml"))
        let f = try mapper.forsendelse(sbd: try DPFFixtures.sbd(), arkivmelding: arkivmelding, files: DPFFixtures.files,
                                       receiverInfo: DPFFixtures.receiverInfo, senderInfo: nil)
        #expect(f.dokumenter.map(\.ekskluderesFraPrint) == [false, true])
        #expect(throws: ForsendelseMapper.MappingError.missingFile("tegning.dwg")) {
            try mapper.forsendelse(sbd: try DPFFixtures.sbd(), arkivmelding: arkivmelding,
                                   files: Array(DPFFixtures.files.prefix(2)), receiverInfo: DPFFixtures.receiverInfo, senderInfo: nil)
        }
    }

    @Test("REST: the OrganisasjonForsendelse JSON equals the fixture")
    func restEncoding() throws {
        let encoded = try JSONSerialization.jsonObject(with: SvarUtRESTEncoding.json(try DPFFixtures.forsendelse())) as? NSDictionary
        let expected = try JSONSerialization.jsonObject(with: try DPFFixtures.data("dpf-forsendelse-rest.json")) as? NSDictionary
        #expect(encoded != nil && encoded == expected)
    }

    @Test("SOAP: sendForsendelseMedId equals the fixture and validates against the ForsendelsesServiceV9 schema",
          .enabled(if: DPFFixtures.xmllintPath != nil, "xmllint is not installed (Debian: libxml2-utils)"))
    func soapEncoding() throws {
        let envelope = SvarUtSOAPEncoding.sendForsendelseMedId(try DPFFixtures.forsendelse(), forsendelseId: DPFFixtures.senderRef,
                                                               contentIDs: ["doc-0", "doc-1"])
        let root = try XMLTree.parse(envelope)
        #expect(root.name == "Envelope" && root.namespace == "http://www.w3.org/2003/05/soap-envelope")
        let operation = try #require(root.child("Body")?.children.first)
        let expected = try XMLTree.parse(try DPFFixtures.data("dpf-sendForsendelseMedId.xml"))
        #expect(DPFFixtures.normalized(operation) == DPFFixtures.normalized(expected))

        // The body element, with the MTOM references replaced by inline base64, is valid against the WSDL's types.
        let body = try #require(envelope.range(of: "<ns2:sendForsendelseMedId").map { envelope[$0.lowerBound...] })
        var element = String(body[..<body.range(of: "</ns2:sendForsendelseMedId>")!.upperBound])
        element = element.replacingOccurrences(of: #"<xop:Include[^>]*/>"#, with: "UERG", options: .regularExpression)
        #expect(try DPFFixtures.schemaErrors(element, schema: "ForsendelsesServiceV9.xsd") == nil)
        // The check can fail: the required tittel left out is refused.
        let broken = element.replacingOccurrences(of: "<tittel>Vedtak i byggesak</tittel></forsendelse>", with: "</forsendelse>")
        #expect(try DPFFixtures.schemaErrors(broken, schema: "ForsendelsesServiceV9.xsd") != nil)
    }

    @Test("the other SOAP requests validate too",
          .enabled(if: DPFFixtures.xmllintPath != nil, "xmllint is not installed (Debian: libxml2-utils)"))
    func otherSOAPRequests() throws {
        for envelope in [SvarUtSOAPEncoding.retrieveForsendelseStatuser(["a", "b"]),
                         SvarUtSOAPEncoding.retrieveForsendelseIdByEksternRef(DPFFixtures.messageId),
                         SvarUtSOAPEncoding.retreiveForsendelseTyper()] {
            let start = envelope.range(of: "<ns2:")!.lowerBound
            let end = envelope.range(of: "</soap:Body>")!.lowerBound
            #expect(try DPFFixtures.schemaErrors(String(envelope[start..<end]), schema: "ForsendelsesServiceV9.xsd") == nil)
        }
    }
}
