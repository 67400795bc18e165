import AsyncHTTPClient
import Channels
import Foundation
import Model
import Sandbox
import Testing

@Suite("Service registry client against the sandbox registry")
struct ServiceRegistryClientTests {
    @Test("a signed lookup verifies and finds the DPO record with the receiver's certificate")
    func signedLookup() async throws {
        try await withSandbox { network, _ in
            let client = ServiceRegistryClient(configuration: .init(endpoint: network.serviceRegistryURL, jwkURL: network.jwkURL),
                                               httpClient: .shared)
            let record = try await client.serviceRecord(for: receiver, process: arkivmeldingProcess, documentType: arkivmeldingType,
                                                        securityLevel: 3, conversationId: UUID().uuidString)
            #expect(record.service.identifier == .DPO)
            #expect(record.process == arkivmeldingProcess)
            #expect(record.service.resource == "eformidling-dpo-meldingsutveksling")
            #expect(record.service.endpointUrl == network.brokerServiceURL)
            let identity = try #require(network.organisation(receiver)?.identity)
            #expect(record.certificateDER == identity.certificateDER)
            let requests = network.registry.receivedRequests
            #expect(requests.contains { $0.hasPrefix("/identifier/\(receiver)/process/\(arkivmeldingProcess)?securityLevel=3&conversationId=") })
            #expect(requests.contains("/jwk"))
            let channel = try await client.serviceIdentifier(for: receiver, process: "urn:no:difi:profile:arkivmelding:response:ver1.0",
                                                             documentType: "urn:no:difi:eformidling:xsd::status")
            #expect(channel == .DPO)
        }
    }

    @Test("an unsigned lookup reads plain JSON when signing is off")
    func unsignedLookup() async throws {
        try await withSandbox { network, _ in
            let client = ServiceRegistryClient(configuration: .init(endpoint: network.serviceRegistryURL, requireSignedAnswers: false),
                                               httpClient: .shared)
            let entry = try await client.lookup(identifier: receiver)
            #expect(entry.infoRecord.identifier == receiver)
            // The four DPO processes, and DPE's innsynskrav and eInnsyn receipts (the sandbox's agencies take both).
            #expect(entry.serviceRecords.filter { $0.service.identifier == .DPO }.count == 4)
            #expect(entry.serviceRecords.filter { $0.service.identifier == .DPE }.map(\.process)
                == ["urn:no:difi:profile:einnsyn:innsynskrav:ver1.0", "urn:no:difi:profile:einnsyn:response:ver1.0"])
            #expect(!network.registry.receivedRequests.contains("/jwk"))
            let info = try await client.info(identifier: sender)
            #expect(info.organizationName == "Sandbox Avsender")
            let pem = try await client.virksert(identifier: receiver)
            #expect(pem == network.organisation(receiver)?.identity.certificatePEM)
        }
    }

    @Test("a tampered JWS is refused, also after refreshing the key set")
    func tamperedSignature() async throws {
        try await withSandbox { network, _ in
            let client = ServiceRegistryClient(configuration: .init(endpoint: network.serviceRegistryURL, jwkURL: network.jwkURL),
                                               httpClient: .shared)
            _ = try await client.lookup(identifier: sender) // loads the key set
            network.registry.tamperWithNextSignedAnswers(1)
            await #expect(throws: ServiceRegistryError.self) {
                _ = try await client.lookup(identifier: receiver, process: arkivmeldingProcess)
            }
            do {
                _ = try await client.lookup(identifier: receiver, process: arkivmeldingProcess)
            } catch {
                Issue.record("an untampered answer after the tampered one must verify: \(error)")
            }
            // The refused answer was not cached: the second lookup went to the registry.
            #expect(network.registry.receivedRequests.filter { $0.hasPrefix("/identifier/\(receiver)/process/") }.count == 2)
            #expect(network.registry.receivedRequests.filter { $0 == "/jwk" }.count == 2)
        }
    }

    @Test("an answer that is not signed is refused when signatures are required")
    func unsignedRefused() async throws {
        try await withSandbox { network, _ in
            network.registry.update { $0.neverSign = true }
            let client = ServiceRegistryClient(configuration: .init(endpoint: network.serviceRegistryURL, jwkURL: network.jwkURL),
                                               httpClient: .shared)
            let error = await #expect(throws: ServiceRegistryError.self) {
                _ = try await client.lookup(identifier: receiver)
            }
            guard case .badSignature? = error else {
                Issue.record("expected badSignature, got \(String(describing: error))")
                return
            }
        }
    }

    @Test("an unknown receiver and a receiver without the document type give clear errors")
    func unknownReceiver() async throws {
        try await withSandbox { network, _ in
            let client = ServiceRegistryClient(configuration: .init(endpoint: network.serviceRegistryURL, jwkURL: network.jwkURL),
                                               httpClient: .shared)
            let notFound = await #expect(throws: ServiceRegistryError.self) {
                _ = try await client.serviceIdentifier(for: "123456785", process: arkivmeldingProcess, documentType: arkivmeldingType)
            }
            #expect(notFound?.description.contains("123456785") == true)
            #expect(notFound?.isTransient == false)
            let noRecord = await #expect(throws: ServiceRegistryError.self) {
                _ = try await client.serviceIdentifier(for: receiver, process: "urn:no:difi:profile:einnsyn:journalpost:ver1.0",
                                                       documentType: "urn:no:difi:einnsyn:xsd::publisering")
            }
            guard case .receiverDoesNotAcceptProcess(let who, let process, _, _)? = noRecord else {
                Issue.record("expected receiverDoesNotAcceptProcess, got \(String(describing: noRecord))")
                return
            }
            #expect(who == receiver)
            #expect(process == "urn:no:difi:profile:einnsyn:journalpost:ver1.0")
        }
    }

    @Test("lookups are cached for five minutes, without the conversationId in the key")
    func caching() async throws {
        let clock = TestClock()
        try await withSandbox(clock: clock) { network, _ in
            let client = ServiceRegistryClient(configuration: .init(endpoint: network.serviceRegistryURL, jwkURL: network.jwkURL),
                                               httpClient: .shared, now: clock.now)
            func lookupCount() -> Int {
                network.registry.receivedRequests.filter { $0.hasPrefix("/identifier/\(receiver)/process/") }.count
            }
            _ = try await client.serviceRecord(for: receiver, process: arkivmeldingProcess, documentType: arkivmeldingType,
                                               conversationId: UUID().uuidString)
            _ = try await client.serviceRecord(for: receiver, process: arkivmeldingProcess, documentType: arkivmeldingType,
                                               conversationId: UUID().uuidString)
            #expect(lookupCount() == 1)
            clock.advance(299)
            _ = try await client.lookup(identifier: receiver, process: arkivmeldingProcess)
            #expect(lookupCount() == 1)
            clock.advance(2)
            _ = try await client.lookup(identifier: receiver, process: arkivmeldingProcess)
            #expect(lookupCount() == 2)
            // A different security level is a different key.
            _ = try await client.lookup(identifier: receiver, process: arkivmeldingProcess, securityLevel: 4)
            #expect(lookupCount() == 3)
        }
    }

    @Test("the Maskinporten token goes with registry requests when oidc is on")
    func bearerToken() async throws {
        try await withSandbox { network, _ in
            let organisation = try #require(network.organisation(sender))
            let maskinporten = MaskinportenClient(
                configuration: .init(tokenURL: network.maskinportenTokenURL, audience: network.maskinportenAudience,
                                     organisationNumber: sender, keystore: try organisation.identity.keystoreEntry()),
                httpClient: .shared)
            let client = ServiceRegistryClient(
                configuration: .init(endpoint: network.serviceRegistryURL, jwkURL: network.jwkURL), httpClient: .shared,
                tokenProvider: maskinporten.provider(scopes: MaskinportenScopes.serviceRegistry(enabledChannels: ["DPO"])))
            _ = try await client.lookup(identifier: receiver)
            let grants = network.maskinporten.receivedGrants
            #expect(grants.count == 1)
            #expect(grants.first?.claims["scope"] as? String == "eformidling:dpo")
        }
    }
}
