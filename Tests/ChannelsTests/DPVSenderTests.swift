import Channels
import Foundation
import Model
import NIOCore
import Packaging
import Sandbox
import Testing

/// DPV against the sandbox's Altinn Correspondence, configured from the `integrasjonspunkt-local.properties` the
/// sandbox wrote: the correspondence that arrives, its statuses, and how each kind of failure is classed.
@Suite("DPV: sending correspondences to the sandbox's Altinn")
struct DPVSenderTests {
    static func makeSender(_ network: SandboxNetwork, uploadTimeout: TimeAmount = .minutes(1)) throws -> (DPVSender, AltinnCorrespondenceClient) {
        let organisation = try #require(network.organisation(sender))
        var properties: [String: String] = [:]
        for line in try String(contentsOf: organisation.propertiesPath, encoding: .utf8).split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { properties[parts[0]] = parts[1] }
        }
        func value(_ key: String) throws -> String { try #require(properties[key], "\(key) missing") }
        let keystore = try organisation.identity.keystoreEntry()
        let maskinporten = MaskinportenClient(
            configuration: .init(tokenURL: try value("difi.move.oidc.url"), audience: try value("difi.move.oidc.audience"),
                                 organisationNumber: organisation.organisationNumber, keystore: keystore),
            httpClient: .shared)
        let registry = ServiceRegistryClient(
            configuration: .init(endpoint: try value("difi.move.serviceregistryEndpoint"), requireSignedAnswers: true,
                                 jwkURL: try value("difi.move.sign.jwkUrl")),
            httpClient: .shared, tokenProvider: maskinporten.provider(scopes: MaskinportenScopes.serviceRegistry(enabledChannels: ["DPV"])))
        let tokens = AltinnTokenExchange(exchangeURL: try value("difi.move.dpv.altinnTokenExchangeUrl"), maskinporten: maskinporten,
                                         systemUser: nil, scopes: MaskinportenScopes.dpv, httpClient: .shared)
        let client = AltinnCorrespondenceClient(serviceURL: try value("difi.move.dpv.correspondenceServiceUrl"),
                                                httpClient: .shared, tokens: tokens, uploadTimeout: uploadTimeout)
        let dpv = DPVSender(client: client, registry: registry, builder: CorrespondenceRequestBuilder(settings: DPVSettings()),
                            organisationNumber: organisation.organisationNumber)
        return (dpv, client)
    }

    static func arkivmelding(messageId: String) throws -> StandardBusinessDocument {
        try StandardBusinessDocument.decode(from: Data("""
        {
          "standardBusinessDocumentHeader": {
            "headerVersion": "1.0",
            "sender": [ { "identifier": { "authority": "iso6523-actorid-upis", "value": "0192:\(sender)" } } ],
            "receiver": [ { "identifier": { "authority": "iso6523-actorid-upis", "value": "0192:\(SandboxAltinnCorrespondence.organisationNumber)" } } ],
            "documentIdentification": { "standard": "\(arkivmeldingType)", "typeVersion": "2.0",
                                        "instanceIdentifier": "\(messageId)", "type": "arkivmelding" },
            "businessScope": { "scope": [ { "type": "ConversationId", "identifier": "\(arkivmeldingProcess)",
                                            "instanceIdentifier": "\(messageId)" } ] }
          },
          "arkivmelding": { "sikkerhetsnivaa": 3, "hoveddokument": "arkivmelding.xml" }
        }
        """.utf8))
    }

    static let arkivmeldingXML = """
    <?xml version="1.0" encoding="UTF-8"?>
    <arkivmelding xmlns="http://www.arkivverket.no/standarder/noark5/arkivmelding" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
      <mappe xsi:type="saksmappe"><systemID>s</systemID>
        <registrering xsi:type="journalpost">
          <tittel>Vedtak om tilskudd (intern)</tittel>
          <offentligTittel>Vedtak om tilskudd</offentligTittel>
          <dokumentbeskrivelse><dokumentobjekt><referanseDokumentfil>vedtak.pdf</referanseDokumentfil></dokumentobjekt></dokumentbeskrivelse>
        </registrering>
      </mappe>
    </arkivmelding>
    """

    static func file(_ name: String, _ bytes: Data, title: String?, number: Int, type: String) -> DPVSender.File {
        DPVSender.File(filename: name, title: title, mimeType: type, size: Int64(bytes.count), dokumentnummer: number) {
            AsyncThrowingStream { continuation in
                continuation.yield(Array(bytes))
                continuation.finish()
            }
        }
    }

    static func files(pdf: Data) -> [DPVSender.File] {
        [file("arkivmelding.xml", Data(arkivmeldingXML.utf8), title: "Arkivmelding", number: 1, type: "application/xml"),
         file("notat.txt", Data("not referenced".utf8), title: "Notat", number: 2, type: "text/plain"),
         file("vedtak.pdf", pdf, title: "Vedtak", number: 3, type: "application/pdf")]
    }

    @Test("An arkivmelding becomes a correspondence with only the referenced files; published, then read after the recipient opens it")
    func sendAndFollow() async throws {
        try await withSandbox { network, _ in
            let altinn = try #require(network.service(SandboxAltinnCorrespondence.self))
            let (dpv, client) = try Self.makeSender(network)
            let messageId = UUID().uuidString.lowercased()
            let pdf = Data((0..<50_000).map { UInt8($0 % 251) })
            let outcome = try await dpv.send(try Self.arkivmelding(messageId: messageId), files: Self.files(pdf: pdf), now: Date())
            guard case .created(let id) = outcome else { Issue.record("\(outcome)"); return }
            let stored = try #require(altinn.correspondence(sendersReference: messageId))
            #expect(stored.id == id)
            #expect(stored.recipient == "urn:altinn:organization:identifier-no:\(SandboxAltinnCorrespondence.organisationNumber)")
            #expect(stored.resourceId == SandboxAltinnCorrespondence.resource)
            #expect(stored.messageTitle == "Vedtak om tilskudd")
            #expect(stored.fields["correspondence.messageSender"] == "Sandbox Avsender")
            #expect(stored.attachments.map(\.filename) == ["vedtak.pdf"])
            #expect(stored.attachments.first?.data == pdf)
            #expect(stored.attachments.first?.displayName == "Vedtak")
            #expect(try await client.overview(id).events.map(\.status) == [.LEVERT])
            altinn.markRead(sendersReference: messageId)
            #expect(try await client.overview(id).events.map(\.status) == [.LEVERT, .LEST])
        }
    }

    @Test("A 500 after Altinn stored it is retried; the retry's 409 finds the same correspondence: one in all")
    func conflictAfterLostAnswer() async throws {
        try await withSandbox { network, _ in
            let altinn = try #require(network.service(SandboxAltinnCorrespondence.self))
            let (dpv, _) = try Self.makeSender(network)
            let messageId = UUID().uuidString.lowercased()
            let message = try Self.arkivmelding(messageId: messageId)
            altinn.failNextUploads(1, status: 500, detail: "Internal error", afterStoring: true)
            do {
                _ = try await dpv.send(message, files: Self.files(pdf: Data("pdf".utf8)), now: Date())
                Issue.record("the 500 was not reported")
            } catch let error as CorrespondenceError {
                #expect(error.isTransient, "5xx is retried")
                #expect(error.status == 500)
            }
            let again = try await dpv.send(message, files: Self.files(pdf: Data("pdf".utf8)), now: Date())
            let stored = try #require(altinn.correspondence(sendersReference: messageId))
            #expect(again == .createdEarlier(stored.id))
            #expect(altinn.correspondences.count == 1)
            #expect(altinn.uploadCount == 2)
        }
    }

    @Test("A 400 is final and carries Altinn's reason; a timeout is retried; a correspondence gone is told apart")
    func failureClasses() async throws {
        try await withSandbox { network, _ in
            let altinn = try #require(network.service(SandboxAltinnCorrespondence.self))
            let (dpv, client) = try Self.makeSender(network)
            // Only the timeout case has a short timeout: beside the whole suite on two cores, even a quick answer
            // may take longer than it.
            let (impatient, _) = try Self.makeSender(network, uploadTimeout: .milliseconds(500))
            altinn.failNextUploads(1, status: 400, detail: "1023: Invalid language chosen")
            do {
                _ = try await dpv.send(try Self.arkivmelding(messageId: UUID().uuidString.lowercased()),
                                       files: Self.files(pdf: Data("pdf".utf8)), now: Date())
                Issue.record("the 400 was not reported")
            } catch let error as CorrespondenceError {
                #expect(!error.isTransient)
                #expect(error.description.contains("HTTP 400"))
                #expect(error.description.contains("1023: Invalid language chosen"))
            }
            altinn.delayUploads(by: .seconds(3))
            do {
                _ = try await impatient.send(try Self.arkivmelding(messageId: UUID().uuidString.lowercased()),
                                       files: Self.files(pdf: Data("pdf".utf8)), now: Date())
                Issue.record("the timeout was not reported")
            } catch let error as CorrespondenceError {
                #expect(error.isTransient, "\(error)")
                #expect(error.status == nil)
            }
            altinn.delayUploads(by: .zero)
            do {
                _ = try await client.overview(UUID().uuidString.lowercased())
                Issue.record("an unknown correspondence was found")
            } catch let error as CorrespondenceError {
                #expect(error.isGone)
            }
        }
    }
}
