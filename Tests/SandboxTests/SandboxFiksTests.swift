import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOFoundationCompat
import NoarkExchange
import Sandbox
import Testing
import TestTools

@Suite("Sandbox KS Fiks: SvarInn downloads and SvarUt SOAP requests, read with independent tools")
struct SandboxFiksTests {
    static func serve(_ add: (Router<BasicRequestContext>) -> Void) async throws -> SandboxHTTPServer {
        let router = Router()
        add(router)
        var logger = Logger(label: "fiks-twin-test")
        logger.logLevel = .critical
        return try await SandboxHTTPServer.start(router: router, name: "Fiks", logger: logger)
    }

    static func call(_ url: String, method: String = "GET", basic: (String, String)? = nil, contentType: String? = nil,
                     body: Data? = nil) async throws -> (Int, Data) {
        var request = HTTPClientRequest(url: url)
        request.method = method == "POST" ? .POST : .GET
        if let (user, password) = basic {
            request.headers.add(name: "Authorization", value: "Basic " + Data("\(user):\(password)".utf8).base64EncodedString())
        }
        if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
        if let body { request.body = .bytes(ByteBuffer(data: body)) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        return (Int(response.status.code), Data(buffer: try await response.body.collect(upTo: 16 << 20)))
    }

    @Test("SvarInn: the listing, a download openssl decrypts to a ZIP whose files match filmetadata, and the answers")
    func svarInn() async throws {
        let scratch = try SandboxScratch()
        defer { scratch.remove() }
        let authority = try SandboxCertificateAuthority(key: try TestKeys.key("fiks-twin-ca", 2048))
        let identity = try authority.issueVirksomhetssertifikat(organisationNumber: "910077473", organisationName: "Kommune A",
                                                                key: try TestKeys.key("fiks-twin-own", 2048))
        let svarInn = try SandboxSvarInn(storageDirectory: scratch.file("svarinn"))
        svarInn.addMailbox(organisation: "910077473", username: "mottak", password: "pw", certificateDER: identity.certificateDER)
        let server = try await Self.serve(svarInn.addRoutes)
        defer { Task { await server.stop() } }
        let base = server.baseURL + SandboxSvarInn.basePath
        let pdf = Data("%PDF-1.4 brev".utf8)
        let id = try svarInn.post(SandboxSvarInnParcel(tittel: "Brev", senderOrganisation: "910075918", senderName: "Kommune B",
                                                       files: [.init(filename: "brev.pdf", mimetype: "application/pdf", data: pdf)]),
                                  to: "910077473")

        #expect(try await Self.call(base + "/mottaker/hentNyeForsendelser", basic: ("mottak", "feil")).0 == 401)
        let (status, listing) = try await Self.call(base + "/mottaker/hentNyeForsendelser", basic: ("mottak", "pw"))
        #expect(status == 200)
        let entry = try #require((try JSONSerialization.jsonObject(with: listing) as? [[String: Any]])?.first)
        #expect(entry["id"] as? String == id)
        let downloadUrl = try #require(entry["downloadUrl"] as? String)
        let (downloaded, encrypted) = try await Self.call(downloadUrl, basic: ("mottak", "pw"))
        #expect(downloaded == 200)
        try encrypted.write(to: scratch.file("download.cms"))
        try Data(identity.privateKey.pemRepresentation.utf8).write(to: scratch.file("key.pem"))
        try Data(identity.certificatePEM.utf8).write(to: scratch.file("cert.pem"))
        try SandboxTool.run("openssl", ["cms", "-decrypt", "-inform", "DER", "-in", scratch.path("download.cms"),
                                        "-inkey", scratch.path("key.pem"), "-recip", scratch.path("cert.pem"),
                                        "-out", scratch.path("download.zip")])
        let filmetadata = try #require(entry["filmetadata"] as? [[String: Any]])
        let script = """
        import hashlib, json, sys, zipfile
        z = zipfile.ZipFile(sys.argv[1])
        print(json.dumps({n: hashlib.sha256(z.read(n)).hexdigest() for n in z.namelist()}))
        """
        let hashes = try JSONSerialization.jsonObject(with: try SandboxTool.run("python3", ["-c", script, scratch.path("download.zip")]))
            as? [String: String]
        #expect(hashes == ["brev.pdf": filmetadata.first?["sha256hash"] as? String ?? "?"])

        #expect(try await Self.call(base + "/mottakFeilet/forsendelse/\(id)", method: "POST", basic: ("mottak", "pw"),
                                    contentType: "application/json", body: Data("{}".utf8)).0 == 400)
        #expect(try await Self.call(base + "/kvitterMottak/forsendelse/\(id)", method: "POST", basic: ("mottak", "pw")).0 == 200)
        #expect(svarInn.answer(for: id) == .kvittert)
        let (_, after) = try await Self.call(base + "/mottaker/hentNyeForsendelser", basic: ("mottak", "pw"))
        #expect((try JSONSerialization.jsonObject(with: after) as? [Any])?.isEmpty == true)
    }

    @Test("SvarUt: a hand-written MTOM sendForsendelseMedId is accepted, a second one is a Duplikat fault, statuses follow")
    func svarUtSOAP() async throws {
        let scratch = try SandboxScratch()
        defer { scratch.remove() }
        let svarUt = try SandboxSvarUt(storageDirectory: scratch.file("svarut"),
                                       tokenSigner: SandboxTokenSigner(keyID: "mp", key: try TestKeys.key("fiks-twin-mp", 2048)))
        svarUt.addSOAPAccount(username: "avsender", password: "pw", organisation: "910077473")
        let server = try await Self.serve(svarUt.addRoutes)
        defer { Task { await server.stop() } }
        let url = server.baseURL + SandboxSvarUt.soapPath
        let id = "5f0c8c7e-1d2b-4a3c-9e8f-7a6b5c4d3e2f"
        let document = Data("krypterte bytes".utf8)
        let envelope = """
        <soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body>\
        <ns2:sendForsendelseMedId xmlns:ns2="http://www.ks.no/svarut/servicesV9" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\
        <forsendelse><dokumenter><data><xop:Include xmlns:xop="http://www.w3.org/2004/08/xop/include" href="cid:doc1%40test"/></data>\
        <ekskluderesFraPrint>false</ekskluderesFraPrint><filnavn>brev.pdf</filnavn><mimetype>application/pdf</mimetype>\
        <skalSigneres>false</skalSigneres></dokumenter><eksternref>m-1</eksternref><krevNiva4Innlogging>false</krevNiva4Innlogging>\
        <kryptert>true</kryptert><kunDigitalLevering>false</kunDigitalLevering>\
        <mottaker><digitalAdresse xsi:type="ns2:organisasjonDigitalAdresse"><orgnr>910075918</orgnr></digitalAdresse></mottaker>\
        <signaturtype xsi:nil="true"/><signeringUtloper xsi:nil="true"/><svarPaForsendelseLink>false</svarPaForsendelseLink>\
        <tittel>Brev</tittel></forsendelse><forsendelsesid>\(id)</forsendelsesid></ns2:sendForsendelseMedId></soap:Body></soap:Envelope>
        """
        var body = Data("--b1\r\nContent-Type: application/xop+xml; charset=UTF-8; type=\"application/soap+xml\"\r\n".utf8)
        body += Data("Content-ID: <root@test>\r\n\r\n\(envelope)\r\n--b1\r\nContent-Type: application/octet-stream\r\n".utf8)
        body += Data("Content-ID: <doc1@test>\r\n\r\n".utf8) + document + Data("\r\n--b1--\r\n".utf8)
        let contentType = "multipart/related; type=\"application/xop+xml\"; boundary=b1; start=\"<root@test>\"; start-info=\"application/soap+xml\""

        let (status, answer) = try await Self.call(url, method: "POST", basic: ("avsender", "pw"), contentType: contentType, body: body)
        #expect(status == 200)
        #expect(try XMLTree.parse(answer).descendant("return")?.text == id)
        let stored = try #require(svarUt.forsendelser.first)
        #expect(stored.receiver == "910075918" && stored.eksternReferanse == "m-1" && stored.kryptert)
        #expect(try Data(contentsOf: try #require(stored.dokumenter.first).file) == document)

        let (again, fault) = try await Self.call(url, method: "POST", basic: ("avsender", "pw"), contentType: contentType, body: body)
        #expect(again == 500)
        #expect(try XMLTree.parse(fault).descendant("Text")?.text.contains("Duplikat") == true)

        svarUt.markRead(id)
        let statusRequest = """
        <soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body><ns2:retrieveForsendelseStatuser \
        xmlns:ns2="http://www.ks.no/svarut/servicesV9"><forsendelseider>\(id)</forsendelseider></ns2:retrieveForsendelseStatuser>\
        </soap:Body></soap:Envelope>
        """
        let (_, statuses) = try await Self.call(url, method: "POST", basic: ("avsender", "pw"),
                                                contentType: "application/soap+xml; charset=utf-8", body: Data(statusRequest.utf8))
        #expect(try XMLTree.parse(statuses).descendant("forsendelseStatus")?.text == "LEST")
        #expect(try await Self.call(url, method: "POST", basic: ("avsender", "feil"), contentType: contentType, body: body).0 == 401)
    }
}
