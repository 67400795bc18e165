import Channels
import Crypto
import Foundation
import Model
import NoarkExchange
import Packaging
import Sandbox
import Testing
import TestTools

@Suite("DPF: a SvarInn forsendelse as arkivmelding.xml and SBD; the download's checks")
struct SvarInnConversionTests {
    static let listing = """
    [{"id":"4d1e2a7f-0c3b-4e5d-9f8a-7b6c5d4e3f2a","tittel":"Svar på søknad om byggetillatelse","date":1709283600000,
      "mottaker":{"orgnr":"910077473","navn":"Kommune A"},
      "svarSendesTil":{"adresse1":"Storgata 5","postnr":"7011","poststed":"Trondheim","navn":"Kommune B","land":"Norge","orgnr":"910075918"},
      "svarPaForsendelse":"9d2c6f1e-3b7a-4e2d-8f10-5a6b7c8d9e0f",
      "metadataFraAvleverendeSystem":{"sakssekvensnummer":42,"saksaar":"2024","journalaar":2024,"journalsekvensnummer":"1234",
        "journalpostnummer":7,"journalposttype":"U","journalstatus":"E","journaldato":1709247600000,
        "dokumentetsDato":"2024-02-28T10:00:00.000+01:00","tittel":"Svar på søknad","saksBehandler":"Kari Nordmann",
        "ekstraMetadata":[{"key":"gnr","value":"12"},{"key":"1ugyldig","value":"x"},{"key":null,"value":null}]},
      "status":"Akseptert","niva":"3",
      "filmetadata":[{"filnavn":"vedtak.pdf","mimetype":"application/pdf","sha256hash":"ab","dokumentType":null,"size":3},
                     {"filnavn":"kart.png","mimetype":null,"sha256hash":"cd","size":0}],
      "downloadUrl":"https://svarut.ks.no/tjenester/svarinn/forsendelse/4d1e2a7f-0c3b-4e5d-9f8a-7b6c5d4e3f2a"},
     {"tittel":"no id, skipped"}]
    """

    static func forsendelse() throws -> SvarInnForsendelse {
        try #require(try SvarInnForsendelse.list(from: Data(listing.utf8)).first)
    }

    static let files = [
        SvarInnUnpacker.File(filename: "vedtak.pdf", mimeType: "application/pdf", url: URL(fileURLWithPath: "/dev/null"), size: 3),
        SvarInnUnpacker.File(filename: "kart.png", mimeType: "image/png", url: URL(fileURLWithPath: "/dev/null"), size: 9),
    ]

    @Test("the listing is read leniently: numbers as text, dates as milliseconds or ISO 8601, unusable entries skipped")
    func readsTheListing() throws {
        let list = try SvarInnForsendelse.list(from: Data(Self.listing.utf8))
        #expect(list.count == 1)
        let f = list[0]
        #expect(f.metadata.saksaar == 2024 && f.metadata.journalsekvensnummer == 1234 && f.metadata.sakssekvensnummer == 42)
        #expect(f.metadata.journaldato == Date(timeIntervalSince1970: 1_709_247_600))
        #expect(f.metadata.dokumentetsDato == Date(timeIntervalSince1970: 1_709_110_800))
        #expect(f.metadata.saksbehandler == "Kari Nordmann")
        #expect(f.metadata.ekstraMetadata.count == 2)
        #expect(f.filmetadata.map(\.filnavn) == ["vedtak.pdf", "kart.png"] && f.filmetadata[1].size == 0)
        #expect(f.svarSendesTil.orgnr == "910075918" && f.mottaker.orgnr == "910077473")
    }

    @Test("arkivmelding.xml carries the metadata as the transformation page says and validates against arkivmelding.xsd",
          .enabled(if: DPFFixtures.xmllintPath != nil, "xmllint is not installed (Debian: libxml2-utils)"))
    func arkivmelding() throws {
        let now = Date(timeIntervalSince1970: 1_709_290_000)
        var counter = 0
        let xml = SvarInnArkivmelding.xml(try Self.forsendelse(), files: Self.files, now: now) {
            counter += 1
            return String(format: "00000000-0000-4000-8000-%012d", counter)
        }
        #expect(try DPFFixtures.schemaErrors(xml, schema: "arkivmelding.xsd") == nil)
        let root = try XMLTree.parse(xml)
        #expect(root.value("meldingId") == "4d1e2a7f-0c3b-4e5d-9f8a-7b6c5d4e3f2a" && root.value("antallFiler") == "2")
        let mappe = try #require(root.child("mappe"))
        #expect(mappe.attributes["type"] == "saksmappe")
        #expect(mappe.value("saksaar") == "2024" && mappe.value("sakssekvensnummer") == "42")
        #expect(mappe.value("saksansvarlig") == "Kari Nordmann")
        let jp = try #require(mappe.child("basisregistrering"))
        #expect(jp.attributes["type"] == "journalpost")
        #expect(jp.value("offentligTittel") == "Svar på søknad" && jp.value("tittel") == "Svar på søknad om byggetillatelse")
        #expect(jp.value("journalaar") == "2024" && jp.value("journalsekvensnummer") == "1234" && jp.value("journalpostnummer") == "7")
        #expect(jp.value("journalposttype") == "Utgående dokument" && jp.value("journalstatus") == "Ekspedert")
        #expect(jp.value("journaldato") == "2024-03-01" && jp.value("dokumentetsDato") == "2024-02-28")
        let avsender = try #require(jp.child("korrespondansepart"))
        #expect(avsender.value("korrespondanseparttype") == "Avsender" && avsender.value("korrespondansepartNavn") == "Kommune B")
        #expect(avsender.value("postadresse") == "Storgata 5" && avsender.value("postnummer") == "7011")
        #expect(avsender.value("poststed") == "Trondheim" && avsender.value("land") == "Norge")
        #expect(jp.child("virksomhetsspesifikkeMetadata")?.children.map { (element: XMLTree) in element.name } == ["gnr"])
        let beskrivelser = jp.children("dokumentbeskrivelse")
        #expect(beskrivelser.map { $0.value("tilknyttetRegistreringSom") } == ["Hoveddokument", "Vedlegg"])
        #expect(beskrivelser.map { $0.child("dokumentobjekt")?.value("referanseDokumentfil") } == ["vedtak.pdf", "kart.png"])
        // The validation can fail: without the required journaldato the document is refused.
        let broken = xml.replacingOccurrences(of: "<journaldato>2024-03-01</journaldato>", with: "")
        #expect(try DPFFixtures.schemaErrors(broken, schema: "arkivmelding.xsd") != nil)
    }

    @Test("the least SvarInn may send still makes a valid arkivmelding",
          .enabled(if: DPFFixtures.xmllintPath != nil, "xmllint is not installed (Debian: libxml2-utils)"))
    func minimalArkivmelding() throws {
        let bare = SvarInnForsendelse(id: "x", tittel: nil, mottaker: .init(), svarSendesTil: .init(), svarPaForsendelse: nil,
                                      metadata: .init(), filmetadata: [], downloadUrl: "u")
        let xml = SvarInnArkivmelding.xml(bare, files: [Self.files[0]], now: Date())
        #expect(try DPFFixtures.schemaErrors(xml, schema: "arkivmelding.xsd") == nil)
    }

    @Test("the SBD: sender, receiver, ids, process, document type, ReceiverRef, time to live; a fallback sender")
    func sbd() throws {
        let now = Date(timeIntervalSince1970: 1_709_290_000)
        let factory = SvarInnSBD(process: "urn:no:difi:profile:arkivmelding:planByggOgGeodata:ver1.0",
                                 documentType: "urn:no:difi:arkivmelding:xsd::arkivmelding", fallbackSenderOrganisationNumber: "999999999",
                                 timeToLiveHours: 24)
        let sbd = factory.sbd(for: try Self.forsendelse(), mailbox: "910077473", now: now)
        #expect(sbd.senderIdentifier == "910075918" && sbd.receiverIdentifier == "910077473")
        #expect(sbd.messageId == "4d1e2a7f-0c3b-4e5d-9f8a-7b6c5d4e3f2a" && sbd.conversationId == sbd.messageId)
        #expect(sbd.processIdentifier == "urn:no:difi:profile:arkivmelding:planByggOgGeodata:ver1.0")
        #expect(sbd.documentType == "urn:no:difi:arkivmelding:xsd::arkivmelding" && sbd.messageType == .arkivmelding)
        #expect(sbd.receiverRef == "9d2c6f1e-3b7a-4e2d-8f10-5a6b7c8d9e0f")
        #expect(sbd.expectedResponseDateTime?.date == now.addingTimeInterval(24 * 3600))
        // It survives the API's JSON.
        let decoded = try StandardBusinessDocument.decode(from: sbd.encodedJSON())
        #expect(decoded == sbd)

        var anonymous = try Self.forsendelse()
        anonymous.svarSendesTil.orgnr = nil
        anonymous.svarPaForsendelse = nil
        let fallback = factory.sbd(for: anonymous, mailbox: "910077473", now: now)
        #expect(fallback.senderIdentifier == "999999999" && fallback.receiverRef == nil)
    }

    @Test("a single document may come unzipped; unsafe names, unlisted and missing files are refused")
    func unpackerChecks() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let authority = try SandboxCertificateAuthority(key: try TestKeys.key("svarinn-ca", 2048))
        let identity = try authority.issueVirksomhetssertifikat(organisationNumber: "910077473", organisationName: "Kommune A",
                                                                key: try TestKeys.key("svarinn-own", 2048))
        let unpacker = SvarInnUnpacker(identity: try identity.keystoreEntry())
        let pdf = Data("%PDF-1.7 enkelt".utf8)
        func forsendelse(_ files: [(String, Data)]) -> SvarInnForsendelse {
            SvarInnForsendelse(id: "f", tittel: "t", mottaker: .init(orgnr: "910077473"), svarSendesTil: .init(), svarPaForsendelse: nil,
                               metadata: .init(),
                               filmetadata: files.map { .init(filnavn: $0.0, mimetype: nil, sha256hash: Self.hex($0.1), size: Int64($0.1.count)) },
                               downloadUrl: "u")
        }
        func encrypted(_ data: Data) throws -> URL {
            let url = scratch.file("download-\(UUID().uuidString).cms")
            try CMS.encrypt(data, to: identity.certificateDER, keyTransport: .rsaPKCS1v15).write(to: url)
            return url
        }
        func zip(_ entries: [(String, Data)]) throws -> Data {
            var out = Data()
            var writer = ZipStreamWriter(modified: Date()) { out.append($0) }
            for (name, data) in entries { try writer.add(name: name, source: .data(data), method: .deflated) }
            try writer.finish()
            return out
        }
        func folder() throws -> URL {
            let url = scratch.file("work-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            return url
        }

        let single = try unpacker.unpack(try encrypted(pdf), forsendelse: forsendelse([("brev.pdf", pdf)]), into: try folder())
        #expect(single.map(\.filename) == ["brev.pdf"] && single.map(\.mimeType) == ["application/pdf"])
        #expect(try Data(contentsOf: single[0].url) == pdf)

        #expect(throws: SvarInnRefusal.self) {
            try unpacker.unpack(try encrypted(try zip([("../utenfor.pdf", pdf)])), forsendelse: forsendelse([("../utenfor.pdf", pdf)]),
                                into: try folder())
        }
        let unlisted = #expect(throws: SvarInnRefusal.self) {
            try unpacker.unpack(try encrypted(try zip([("brev.pdf", pdf), ("ekstra.exe", pdf)])), forsendelse: forsendelse([("brev.pdf", pdf)]),
                                into: try folder())
        }
        #expect(unlisted?.reason.contains("ekstra.exe") == true)
        let missing = #expect(throws: SvarInnRefusal.self) {
            try unpacker.unpack(try encrypted(try zip([("brev.pdf", pdf)])), forsendelse: forsendelse([("brev.pdf", pdf), ("vedlegg.pdf", pdf)]),
                                into: try folder())
        }
        #expect(missing?.reason.contains("vedlegg.pdf") == true)
        // Encrypted to someone else: cannot be opened with our key.
        let stranger = try authority.issueVirksomhetssertifikat(organisationNumber: "910000009", organisationName: "Annen",
                                                                key: try TestKeys.key("svarinn-stranger", 2048))
        let foreign = scratch.file("foreign.cms")
        try CMS.encrypt(pdf, to: stranger.certificateDER).write(to: foreign)
        let wrongKey = #expect(throws: SvarInnRefusal.self) {
            try unpacker.unpack(foreign, forsendelse: forsendelse([("brev.pdf", pdf)]), into: try folder())
        }
        #expect(wrongKey?.reason.contains("difi.move.fiks.keystore") == true)
    }

    static func hex(_ data: Data) -> String { SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined() }
}
