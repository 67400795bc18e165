import Channels
import Foundation
import Packaging
import Sandbox
import Synchronization
import Testing

/// Two integration points' worth of channel clients, each built only from the
/// `integrasjonspunkt-local.properties` the sandbox wrote for it, exchange a message and its receipt over DPO.
@Suite("DPO exchange between two organisations configured from their properties files")
struct DPOExchangeTests {
    struct Side {
        let organisationNumber: String
        let keystore: PrivateKeyAndCertificate
        let registry: ServiceRegistryClient
        let transport: DPOTransport
    }

    static func side(_ propertiesFile: URL, scratch: Scratch) throws -> Side {
        var properties: [String: String] = [:]
        for line in try String(contentsOf: propertiesFile, encoding: .utf8).split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { properties[parts[0]] = parts[1] }
        }
        func value(_ key: String) throws -> String { try #require(properties[key], "\(key) missing") }
        let organisationNumber = try value("difi.move.org.number")
        let keystore = try Keystore.load(contentsOf: URL(fileURLWithPath: try value("difi.move.org.keystore.path")),
                                         type: try #require(KeystoreType(configurationValue: try value("difi.move.org.keystore.type"))),
                                         password: try value("difi.move.org.keystore.password"),
                                         alias: try value("difi.move.org.keystore.alias"))
        let maskinporten = MaskinportenClient(
            configuration: .init(tokenURL: try value("difi.move.oidc.url"), audience: try value("difi.move.oidc.audience"),
                                 organisationNumber: organisationNumber, keystore: keystore),
            httpClient: .shared)
        let registry = ServiceRegistryClient(
            configuration: .init(endpoint: try value("difi.move.serviceregistryEndpoint"),
                                 requireSignedAnswers: try value("difi.move.sign.enable") == "true",
                                 jwkURL: try value("difi.move.sign.jwkUrl")),
            httpClient: .shared,
            tokenProvider: maskinporten.provider(scopes: MaskinportenScopes.serviceRegistry(enabledChannels: ["DPO"])))
        let tokens = AltinnTokenExchange(exchangeURL: try value("difi.move.dpo.altinnTokenExchangeUrl"), maskinporten: maskinporten,
                                         systemUser: .defaultSystemUser(organisationNumber: organisationNumber), httpClient: .shared)
        let broker = AltinnBrokerClient(
            configuration: .init(brokerServiceURL: try value("difi.move.dpo.brokerserviceUrl"),
                                 resourceID: try value("difi.move.dpo.resource"), organisationNumber: organisationNumber),
            httpClient: .shared, tokens: tokens)
        return Side(organisationNumber: organisationNumber, keystore: keystore, registry: registry,
                    transport: DPOTransport(broker: broker, temporaryDirectory: scratch.url))
    }

    @Test("A sends an arkivmelding with a PDF to B; B opens it and answers MOTTATT; A receives the status")
    func exchange() async throws {
        try await withSandbox { network, scratch in
            let a = try Self.side(try #require(network.organisation(sender)).propertiesPath, scratch: scratch)
            let b = try Self.side(try #require(network.organisation(receiver)).propertiesPath, scratch: scratch)
            let messageID = UUID().uuidString.lowercased()

            // A: the registry chooses DPO and gives B's certificate.
            let record = try await a.registry.serviceRecord(for: receiver, process: arkivmeldingProcess, documentType: arkivmeldingType,
                                                            conversationId: messageID)
            #expect(record.service.identifier == .DPO)
            let receiverCertificate = try #require(record.certificateDER)
            let pdf = Data("%PDF-1.4 sandbox".utf8)
            let documents = [AsicDocument(filename: "arkivmelding.xml", mimeType: "application/xml", data: Data("<arkivmelding/>".utf8)),
                             AsicDocument(filename: "test.pdf", mimeType: "application/pdf", data: pdf)]
            let sbd = Data(#"{"standardBusinessDocumentHeader":{"documentIdentification":{"instanceIdentifier":"\#(messageID)"}},"arkivmelding":{}}"#.utf8)
            _ = try await a.transport.send(
                sbdJSON: sbd, receiver: receiver,
                container: DPOMessagePacker.asicContainer(documents: documents, manifest: nil, signer: a.keystore, signingTime: Date()),
                receiverCertificateDER: receiverCertificate)

            // B: one polling round stores the message; the ASiC-E opens and verifies.
            let stored = Mutex<[String: Data]>([:])
            let keystoreB = b.keystore
            let outcomes = try await b.transport.receiveOnce { transfer in
                let plain = try CMS.decrypt(try #require(transfer.encryptedAsic).data(), with: keystoreB)
                let reader = try AsicReader(data: plain)
                _ = try reader.verify()
                stored.withLock { $0["sbd"] = transfer.sbdJSON; $0["pdf"] = try? reader.data("test.pdf") }
                return .stored
            }
            #expect(outcomes.map(\.disposition) == [.stored])
            #expect(stored.withLock { $0["sbd"] } == sbd)
            #expect(stored.withLock { $0["pdf"] } == pdf)

            // B: the MOTTATT status goes back over DPO with sbd.json only.
            let statusRecord = try await b.registry.serviceRecord(for: sender, process: "urn:no:difi:profile:arkivmelding:response:ver1.0",
                                                                  documentType: "urn:no:difi:eformidling:xsd::status")
            #expect(statusRecord.service.identifier == .DPO)
            let status = Data(#"{"standardBusinessDocumentHeader":{"documentIdentification":{"instanceIdentifier":"\#(messageID)"}},"status":{"status":"MOTTATT"}}"#.utf8)
            _ = try await b.transport.send(sbdJSON: status, receiver: sender, container: nil, receiverCertificateDER: nil)

            let statuses = Mutex<[Data]>([])
            _ = try await a.transport.receiveOnce { transfer in
                #expect(transfer.encryptedAsic == nil)
                statuses.withLock { $0.append(transfer.sbdJSON) }
                return .stored
            }
            #expect(statuses.withLock { $0 } == [status])

            // The grants the sandbox received verify against each sender's own certificate.
            let grants = network.maskinporten.receivedGrants
            #expect(grants.allSatisfy { $0.accepted })
            #expect(Set(grants.compactMap(\.organisationNumber)) == [sender, receiver])
        }
    }
}
