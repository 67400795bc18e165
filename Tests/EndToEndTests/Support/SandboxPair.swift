import Foundation
import Logging
import Sandbox
import Testing

/// The sandbox network in this process and two integration point binaries on it: A (910077473) sends to
/// B (910075918). Each binary runs in its own folder with only the properties file the network wrote.
final class SandboxPair: @unchecked Sendable {
    let network: SandboxNetwork
    let a: IntegrationPointProcess
    let b: IntegrationPointProcess
    let folder: URL

    static let senderOrg = "910077473"
    static let receiverOrg = "910075918"

    /// Starts the network and both binaries (A only when `startA`); `configure` may add to each organisation's
    /// properties file first (`difi.datasource.url` for PostgreSQL); `bArguments` are extra command-line
    /// arguments for B.
    static func start(startA: Bool = true, bArguments: [String] = [],
                      services: [SandboxServiceFactory] = SandboxNetwork.Configuration.defaultServices,
                      configure: (SandboxNetwork.Organisation) throws -> Void = { _ in }) async throws -> SandboxPair {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ip-sandbox-\(UUID().uuidString)")
        let specs = [
            SandboxNetwork.OrganisationSpec(organisationNumber: senderOrg, name: "Avsender",
                                            integrationPointPort: try IntegrationPointProcess.freePort()),
            SandboxNetwork.OrganisationSpec(organisationNumber: receiverOrg, name: "Mottaker",
                                            integrationPointPort: try IntegrationPointProcess.freePort()),
        ]
        let network = try await SandboxNetwork.start(
            .init(directory: folder, organisations: specs, certificateKeyBits: 2048, dpoPollingRateMilliseconds: 300,
                  services: services),
            logger: Logger(label: "sandbox", factory: { _ in SwiftLogNoOpLogHandler() }))
        for organisation in network.organisations { try configure(organisation) }
        let nodes = network.organisations.map {
            IntegrationPointProcess(folder: $0.directory, port: $0.integrationPointPort)
        }
        let pair = SandboxPair(network: network, a: nodes[0], b: nodes[1], folder: folder)
        if startA { try pair.a.start() }
        try pair.b.start(bArguments)
        if startA { try await pair.a.waitUntilReady() }
        try await pair.b.waitUntilReady()
        return pair
    }

    private init(network: SandboxNetwork, a: IntegrationPointProcess, b: IntegrationPointProcess, folder: URL) {
        self.network = network
        self.a = a
        self.b = b
        self.folder = folder
    }

    func stop() async {
        a.kill(signal: SIGKILL)
        b.kill(signal: SIGKILL)
        await network.stop()
    }

    func credentials(_ node: IntegrationPointProcess) -> (String, String) {
        // A further instance of A runs in a folder of its own with A's properties.
        let organisation = network.organisations.first { $0.directory == node.folder } ?? network.organisations[0]
        return (organisation.username, organisation.password)
    }

    /// Calls a node's API with its credentials.
    func call(_ node: IntegrationPointProcess, _ method: String, _ path: String, body: Data? = nil,
              headers: [String: String] = [:]) async throws -> HTTP.Reply {
        var request = HTTPClientRequestBuilder.make("http://127.0.0.1:\(node.port)\(path)", method: method, body: body,
                                                    headers: headers)
        let (user, password) = credentials(node)
        request.headers.add(name: "Authorization", value: "Basic " + Data("\(user):\(password)".utf8).base64EncodedString())
        return try await HTTP.send(request)
    }

    /// The arkivmelding SBD JSON from `sender` (A) to `receiver` (B).
    static func sbd(messageId: String, receiver: String = receiverOrg, sender: String = senderOrg) -> Data {
        Data("""
        {"standardBusinessDocumentHeader":{"headerVersion":"1.0",
          "sender":[{"identifier":{"authority":"iso6523-actorid-upis","value":"0192:\(sender)"}}],
          "receiver":[{"identifier":{"authority":"iso6523-actorid-upis","value":"0192:\(receiver)"}}],
          "documentIdentification":{"standard":"urn:no:difi:arkivmelding:xsd::arkivmelding","typeVersion":"2.0",
            "instanceIdentifier":"\(messageId)","type":"arkivmelding"},
          "businessScope":{"scope":[{"type":"ConversationId","identifier":"urn:no:difi:profile:arkivmelding:administrasjon:ver1.0"}]}},
         "arkivmelding":{"sikkerhetsnivaa":3,"hoveddokument":"arkivmelding.xml"}}
        """.utf8)
    }

    static let arkivmelding = """
    <?xml version="1.0" encoding="UTF-8"?>
    <arkivmelding xmlns="http://www.arkivverket.no/standarder/noark5/arkivmelding" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
      <mappe xsi:type="saksmappe"><systemID>e2e-sak</systemID>
        <registrering xsi:type="journalpost"><offentligTittel>E2E</offentligTittel><journalpostnummer>3</journalpostnummer>
          <dokumentbeskrivelse><dokumentobjekt><referanseDokumentfil>vedlegg.pdf</referanseDokumentfil></dokumentobjekt></dokumentbeskrivelse>
        </registrering></mappe>
    </arkivmelding>
    """

    /// Create + upload arkivmelding.xml and vedlegg.pdf + send, at A (or another instance of A).
    func send(messageId: String, attachment: Data, through node: IntegrationPointProcess? = nil) async throws {
        let a = node ?? self.a
        try expect(await call(a, "POST", "/api/messages/out", body: Self.sbd(messageId: messageId),
                              headers: ["Content-Type": "application/json"]), "create")
        try expect(await call(a, "PUT", "/api/messages/out/\(messageId)", body: Data(Self.arkivmelding.utf8),
                              headers: ["Content-Type": "application/xml",
                                        "Content-Disposition": "attachment; name=Arkivmelding; filename=arkivmelding.xml"]), "upload")
        try expect(await call(a, "PUT", "/api/messages/out/\(messageId)", body: attachment,
                              headers: ["Content-Type": "application/pdf",
                                        "Content-Disposition": "attachment; name=Vedlegg; filename=vedlegg.pdf"]), "upload")
        try expect(await call(a, "POST", "/api/messages/out/\(messageId)"), "send")
    }

    /// B's archive system: peek → pop → delete, until `count` messages were taken or the deadline passes.
    func takeAtB(count: Int = 1, timeout: TimeInterval = 60) async throws -> [(messageId: String, container: Data)] {
        var taken: [(String, Data)] = []
        let deadline = Date().addingTimeInterval(timeout)
        while taken.count < count, Date() < deadline {
            let peek = try await call(b, "GET", "/api/messages/in/peek")
            guard peek.status == 200 else {
                try await Task.sleep(for: .milliseconds(200))
                continue
            }
            let json = try JSONSerialization.jsonObject(with: peek.body) as? [String: Any]
            let header = json?["standardBusinessDocumentHeader"] as? [String: Any]
            let messageId = (header?["documentIdentification"] as? [String: Any])?["instanceIdentifier"] as? String ?? ""
            let pop = try await call(b, "GET", "/api/messages/in/pop/\(messageId)")
            try expect(pop, "pop")
            try expect(await call(b, "DELETE", "/api/messages/in/\(messageId)"), "delete")
            taken.append((messageId, pop.body))
        }
        return taken
    }

    /// A's statuses of `messageId` in registration order, waiting until `last` is among them.
    func statusesAtA(_ messageId: String, until last: String = "LEVERT", timeout: TimeInterval = 60) async throws -> [String] {
        let deadline = Date().addingTimeInterval(timeout)
        var statuses: [String] = []
        while Date() < deadline {
            let reply = try await call(a, "GET", "/api/statuses/\(messageId)?size=50")
            let json = try JSONSerialization.jsonObject(with: reply.body) as? [String: Any]
            statuses = (json?["content"] as? [[String: Any]])?.compactMap { $0["status"] as? String } ?? []
            if statuses.contains(last) { return statuses }
            try await Task.sleep(for: .milliseconds(200))
        }
        return statuses
    }

    /// Waits as `statusesAtA` does, then expects exactly `expected`, in order; a failure shows the statuses seen.
    func expectStatusesAtA(_ messageId: String, until last: String = "LEVERT", timeout: TimeInterval = 60,
                           _ expected: [String], sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let statuses = try await statusesAtA(messageId, until: last, timeout: timeout)
        #expect(statuses == expected, "statuses at A: \(statuses)", sourceLocation: sourceLocation)
    }

    func expect(_ reply: HTTP.Reply, _ step: String) throws {
        guard reply.status == 200 else {
            throw E2EError("\(step) answered \(reply.status): \(String(decoding: reply.body, as: UTF8.self))")
        }
    }
}

import AsyncHTTPClient
import NIOCore

enum HTTPClientRequestBuilder {
    static func make(_ url: String, method: String, body: Data?, headers: [String: String]) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: url)
        request.method = .init(rawValue: method)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        return request
    }
}
