import AsyncHTTPClient
import Channels
import Foundation
import TestTools
import Packaging
import Sandbox
import Testing

@Suite("Maskinporten and the Altinn token exchange against the sandbox")
struct MaskinportenClientTests {
    func client(_ network: SandboxNetwork, clientID: String? = nil, clock: TestClock = TestClock(),
                keystore: PrivateKeyAndCertificate? = nil) throws -> MaskinportenClient {
        let organisation = try #require(network.organisation(sender))
        return MaskinportenClient(
            configuration: .init(tokenURL: network.maskinportenTokenURL, audience: network.maskinportenAudience,
                                 organisationNumber: sender, clientID: clientID,
                                 keystore: try keystore ?? organisation.identity.keystoreEntry()),
            httpClient: .shared, now: clock.now)
    }

    @Test("the grant is accepted by the sandbox and its signature verifies with openssl against the x5c certificate")
    func grantVerifies() async throws {
        try await withSandbox { network, scratch in
            let token = try await client(network).accessToken(scopes: ["eformidling:dpo"])
            #expect(!token.value.isEmpty)
            #expect(token.scope == "eformidling:dpo")
            let grant = try #require(network.maskinporten.receivedGrants.last)
            #expect(grant.accepted)
            #expect(grant.organisationNumber == sender)
            #expect(grant.claims["iss"] as? String == "MOVE_IP_\(sender)")
            #expect(grant.claims["aud"] as? String == network.maskinportenAudience)
            #expect(grant.claims["scope"] as? String == "eformidling:dpo")
            let iat = try #require(grant.claims["iat"] as? Int), exp = try #require(grant.claims["exp"] as? Int)
            #expect(exp - iat == 120)
            #expect(grant.claims["jti"] is String)

            // Independent check: openssl verifies the RS256 signature with the certificate's key.
            let parts = grant.assertion.split(separator: ".").map(String.init)
            let parsed = try RS256CompactJWS.parse(grant.assertion)
            #expect(parsed.algorithm == "RS256")
            let certificateDER = try #require(parsed.certificateChainDER.first)
            #expect(certificateDER == network.organisation(sender)?.identity.certificateDER)
            try certificateDER.write(to: scratch.file("cert.der"))
            try Data("\(parts[0]).\(parts[1])".utf8).write(to: scratch.file("input"))
            try parsed.signature.write(to: scratch.file("sig"))
            let publicKey = try Tool.run("openssl", ["x509", "-inform", "DER", "-in", scratch.file("cert.der").path, "-pubkey", "-noout"])
            try publicKey.write(to: scratch.file("pub.pem"))
            let verdict = try Tool.run("openssl", ["dgst", "-sha256", "-verify", scratch.file("pub.pem").path,
                                                   "-signature", scratch.file("sig").path, scratch.file("input").path])
            #expect(String(decoding: verdict, as: UTF8.self).contains("Verified OK"))
        }
    }

    @Test("tokens are cached until shortly before they expire")
    func caching() async throws {
        let clock = TestClock()
        try await withSandbox(clock: clock) { network, _ in
            let client = try client(network, clientID: "cache-test", clock: clock)
            let first = try await client.accessToken(scopes: ["eformidling:dpo"])
            let second = try await client.accessToken(scopes: ["eformidling:dpo"])
            #expect(first == second)
            #expect(network.maskinporten.receivedGrants.count == 1)
            _ = try await client.accessToken(scopes: ["eformidling:dpe"])
            #expect(network.maskinporten.receivedGrants.count == 2)
            clock.advance(70) // 120 s token, renewed 45 s before expiry
            _ = try await client.accessToken(scopes: ["eformidling:dpo"])
            #expect(network.maskinporten.receivedGrants.count == 2)
            clock.advance(10)
            _ = try await client.accessToken(scopes: ["eformidling:dpo"])
            #expect(network.maskinporten.receivedGrants.count == 3)
        }
    }

    @Test("a grant signed with a certificate from another CA is refused")
    func foreignCertificate() async throws {
        try await withSandbox { network, _ in
            let otherCA = try SandboxCertificateAuthority(keySize: .bits2048)
            let stranger = try otherCA.issueVirksomhetssertifikat(organisationNumber: sender, organisationName: "Mallory",
                                                                  keySize: .bits2048)
            let client = try client(network, keystore: try stranger.keystoreEntry())
            let error = await #expect(throws: TokenError.self) {
                _ = try await client.accessToken(scopes: ["eformidling:dpo"])
            }
            #expect(error?.status == 400)
            #expect(error?.isTransient == false)
            #expect(error?.detail.contains("sandbox CA") == true)
            #expect(network.maskinporten.receivedGrants.last?.accepted == false)
        }
    }

    @Test("the Altinn token exchange gives a plain-text token carrying the system user, and caches it")
    func altinnExchange() async throws {
        try await withSandbox { network, _ in
            let maskinporten = try client(network)
            let systemUser = AltinnSystemUser.defaultSystemUser(organisationNumber: sender)
            let exchange = AltinnTokenExchange(exchangeURL: network.altinnTokenExchangeURL, maskinporten: maskinporten,
                                               systemUser: systemUser, httpClient: .shared)
            let token = try await exchange.accessToken()
            #expect(try await exchange.accessToken() == token)
            #expect(network.maskinporten.exchangeCount == 1)
            let grant = try #require(network.maskinporten.receivedGrants.last)
            #expect(grant.claims["scope"] as? String == "altinn:broker.read altinn:broker.write")
            let details = try #require(grant.claims["authorization_details"] as? [[String: Any]])
            #expect(details.first?["type"] as? String == "urn:altinn:systemuser")
            #expect((details.first?["systemuser_org"] as? [String: Any])?["ID"] as? String == "0192:\(sender)")
            #expect(details.first?["externalRef"] as? String == "\(sender)_integrasjonspunkt_systembruker_\(sender)")
            let claims = try JSONSerialization.jsonObject(with: try RS256CompactJWS.parse(token).payload) as? [String: Any]
            #expect(claims?["urn:altinn:orgNumber"] as? String == sender)
        }
    }
}

@Suite("Maskinporten tokens on behalf of another organisation (consumer_org, SvarUt REST)")
struct MaskinportenConsumerOrganisationTests {
    @Test("the grant names consumer_org; tokens are kept apart per consumer organisation")
    func consumerOrganisation() async throws {
        try await withSandbox { network, _ in
            let organisation = try #require(network.organisation(sender))
            let client = MaskinportenClient(
                configuration: .init(tokenURL: network.maskinportenTokenURL, audience: network.maskinportenAudience,
                                     organisationNumber: sender, keystore: try organisation.identity.keystoreEntry()),
                httpClient: .shared)
            _ = try await client.provider(scopes: ["ks:fiks"], consumerOrganization: "910000001").accessToken()
            #expect(network.maskinporten.receivedGrants.last?.claims["consumer_org"] as? String == "910000001")
            _ = try await client.provider(scopes: ["ks:fiks"]).accessToken()
            #expect(network.maskinporten.receivedGrants.last?.claims["consumer_org"] == nil)
            let before = network.maskinporten.receivedGrants.count
            _ = try await client.provider(scopes: ["ks:fiks"], consumerOrganization: "910000001").accessToken()
            _ = try await client.provider(scopes: ["ks:fiks"]).accessToken()
            #expect(network.maskinporten.receivedGrants.count == before)  // both from the cache
        }
    }
}
