import AsyncHTTPClient
import Foundation
import NIOCore
import Sandbox

/// The demo the sandbox runs: one step per channel (``SandboxDemoStep``). The DPO step sends an arkivmelding with a
/// PDF from A to B; B's archive system takes it with peek → pop → delete; A's statuses are printed until LEVERT.
/// The other channels' steps send to their service twins and print the statuses the same way.
struct SandboxDemo {
    let network: SandboxNetwork
    let nodes: [SandboxNode]
    let client = HTTPClient.shared
    static let process = "urn:no:difi:profile:arkivmelding:administrasjon:ver1.0"

    /// Every channel's part of the demo, in order. Adding a channel is one line here.
    static let steps: [any SandboxDemoStep] = [
        DPODemoStep(),
        DPVDemoStep(),
        DPEDemoStep(),
        DPFDemoStep(),
        DPIDemoStep(),
    ]

    var sender: SandboxNode { nodes[0] }
    var receiver: SandboxNode { nodes[1] }

    func run(timeout: TimeInterval = 180) async throws {
        for node in nodes { try await waitUntilReady(node) }
        for step in Self.steps {
            say("\n\(step.title)")
            try await step.run(self, timeout: timeout)
        }
    }

    /// Prints `messageId`'s statuses at `node` as they arrive until one of `until` is seen; `meanwhile` runs each
    /// round (e.g. the receiving archive system taking messages). FEIL or LEVETID_UTLOPT end it with an error.
    func follow(_ messageId: String, at node: SandboxNode, until: Set<String>, timeout: TimeInterval,
                quiet: Set<String> = [], meanwhile: () async throws -> Void = {}) async throws {
        var seen: Set<String> = quiet
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            try await meanwhile()
            for status in try await statuses(messageId, at: node) where !seen.contains(status) {
                seen.insert(status)
                say("  \(status)")
            }
            if !seen.isDisjoint(with: until) { return }
            if seen.contains("FEIL") || seen.contains("LEVETID_UTLOPT") {
                throw DemoError("the message ended in \(seen.contains("FEIL") ? "FEIL" : "LEVETID_UTLOPT")")
            }
            try await Task.sleep(for: .milliseconds(300))
        }
        throw DemoError("\(until.sorted().joined(separator: " or ")) did not arrive within \(Int(timeout)) s")
    }

    private func waitUntilReady(_ node: SandboxNode) async throws {
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if !node.process.isRunning {
                throw DemoError("the integration point \(node.organisation.organisationNumber) stopped; see \(node.logFile.path)")
            }
            if (try? await call(node, "GET", "/manage/health").status) == 200 { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw DemoError("the integration point \(node.organisation.organisationNumber) was not ready within 60 s")
    }

    /// Creates an arkivmelding from `sender` to `receiver`, uploads arkivmelding.xml and the PDF, and sends it.
    func sendArkivmelding(messageId: String, from sender: SandboxNode, to receiver: String) async throws {
        let sbd = """
        {
          "standardBusinessDocumentHeader": {
            "headerVersion": "1.0",
            "sender": [ { "identifier": { "authority": "iso6523-actorid-upis", "value": "0192:\(sender.organisation.organisationNumber)" } } ],
            "receiver": [ { "identifier": { "authority": "iso6523-actorid-upis", "value": "0192:\(receiver)" } } ],
            "documentIdentification": {
              "standard": "urn:no:difi:arkivmelding:xsd::arkivmelding", "typeVersion": "2.0",
              "instanceIdentifier": "\(messageId)", "type": "arkivmelding"
            },
            "businessScope": { "scope": [ { "type": "ConversationId", "identifier": "\(Self.process)" } ] }
          },
          "arkivmelding": { "sikkerhetsnivaa": 3, "hoveddokument": "arkivmelding.xml" }
        }
        """
        try await expectOK(call(sender, "POST", "/api/messages/out", body: Data(sbd.utf8), contentType: "application/json"), "create")
        try await expectOK(call(sender, "PUT", "/api/messages/out/\(messageId)", body: Data(DemoDocuments.arkivmelding.utf8),
                                contentType: "application/xml",
                                disposition: "attachment; name=\"Arkivmelding\"; filename=\"arkivmelding.xml\""), "upload arkivmelding.xml")
        try await expectOK(call(sender, "PUT", "/api/messages/out/\(messageId)", body: DemoDocuments.pdf,
                                contentType: "application/pdf",
                                disposition: "attachment; name=\"Vedtak\"; filename=\"vedtak.pdf\""), "upload vedtak.pdf")
        try await expectOK(call(sender, "POST", "/api/messages/out/\(messageId)"), "send")
    }

    /// What an archive system does: peek, pop (keep the container), delete.
    func actAsArchive(_ node: SandboxNode) async throws {
        let peek = try await call(node, "GET", "/api/messages/in/peek")
        guard peek.status == 200,
              let json = try JSONSerialization.jsonObject(with: peek.body) as? [String: Any],
              let header = json["standardBusinessDocumentHeader"] as? [String: Any],
              let identification = header["documentIdentification"] as? [String: Any],
              let messageId = identification["instanceIdentifier"] as? String else { return }
        let pop = try await call(node, "GET", "/api/messages/in/pop/\(messageId)")
        if pop.status == 200 {
            let folder = node.organisation.directory.appendingPathComponent("archive")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let file = folder.appendingPathComponent("\(messageId).asice")
            try pop.body.write(to: file)
            say("  (archive system \(node.organisation.organisationNumber) took the message: \(pop.body.count) bytes in \(file.path))")
        }
        try await expectOK(call(node, "DELETE", "/api/messages/in/\(messageId)"), "delete incoming")
    }

    func statuses(_ messageId: String, at node: SandboxNode) async throws -> [String] {
        let reply = try await call(node, "GET", "/api/statuses/\(messageId)?size=100")
        guard reply.status == 200, let json = try JSONSerialization.jsonObject(with: reply.body) as? [String: Any],
              let content = json["content"] as? [[String: Any]] else { return [] }
        return content.compactMap { $0["status"] as? String }
    }

    struct Reply {
        var status: Int
        var body: Data
    }

    func call(_ node: SandboxNode, _ method: String, _ path: String, body: Data? = nil,
                      contentType: String? = nil, disposition: String? = nil) async throws -> Reply {
        var request = HTTPClientRequest(url: node.baseURL + path)
        request.method = .init(rawValue: method)
        let credentials = Data("\(node.organisation.username):\(node.organisation.password)".utf8).base64EncodedString()
        request.headers.add(name: "Authorization", value: "Basic \(credentials)")
        if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
        if let disposition { request.headers.add(name: "Content-Disposition", value: disposition) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await client.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 256 << 20)
        return Reply(status: Int(response.status.code), body: Data(bytes.readableBytesView))
    }

    func expectOK(_ reply: Reply, _ step: String) throws {
        guard reply.status == 200 else {
            throw DemoError("\(step) answered \(reply.status): \(String(decoding: reply.body, as: UTF8.self))")
        }
    }
}

struct DemoError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// The demo's documents: an arkivmelding referring to a one-page PDF.
enum DemoDocuments {
    static let arkivmelding = """
    <?xml version="1.0" encoding="UTF-8"?>
    <arkivmelding xmlns="http://www.arkivverket.no/standarder/noark5/arkivmelding" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
      <system>integrasjonspunkt sandbox</system>
      <meldingId>demo</meldingId>
      <tidspunkt>2026-01-01T12:00:00+01:00</tidspunkt>
      <antallFiler>1</antallFiler>
      <mappe xsi:type="saksmappe">
        <systemID>sandbox-sak-1</systemID>
        <tittel>Demosak</tittel>
        <registrering xsi:type="journalpost">
          <systemID>sandbox-jp-1</systemID>
          <tittel>Vedtak i demosak</tittel>
          <offentligTittel>Vedtak i demosak</offentligTittel>
          <journalpostnummer>1</journalpostnummer>
          <dokumentbeskrivelse>
            <dokumenttype>Brev</dokumenttype>
            <tittel>Vedtak</tittel>
            <tilknyttetRegistreringSom>Hoveddokument</tilknyttetRegistreringSom>
            <dokumentnummer>1</dokumentnummer>
            <dokumentobjekt>
              <versjonsnummer>1</versjonsnummer>
              <variantformat>Produksjonsformat</variantformat>
              <referanseDokumentfil>vedtak.pdf</referanseDokumentfil>
            </dokumentobjekt>
          </dokumentbeskrivelse>
        </registrering>
      </mappe>
    </arkivmelding>
    """

    static let pdf = Data("""
    %PDF-1.4
    1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
    2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
    3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >> endobj
    4 0 obj << /Length 58 >> stream
    BT /F1 24 Tf 72 760 Td (Vedtak fra eFormidling-sandkassen) Tj ET
    endstream endobj
    5 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj
    trailer << /Root 1 0 R >>
    %%EOF
    """.utf8)
}
