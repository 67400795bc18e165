import AsyncHTTPClient
import Foundation
import TestTools
import Logging
import NIOCore
import Packaging
import Sandbox
import Testing

@Suite("The sandbox network on loopback")
struct SandboxNetworkTests {
    static func start(_ scratch: SandboxScratch) async throws -> SandboxNetwork {
        var logger = Logger(label: "sandbox-test")
        logger.logLevel = .warning
        return try await SandboxNetwork.start(.init(directory: scratch.url, certificateKeyBits: 2048, makeKey: TestKeys.key), logger: logger)
    }

    static func get(_ url: String, accept: String? = nil, bearer: String? = nil) async throws -> (Int, String, String) {
        var request = HTTPClientRequest(url: url)
        if let accept { request.headers.add(name: "Accept", value: accept) }
        if let bearer { request.headers.add(name: "Authorization", value: "Bearer \(bearer)") }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        let body = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), response.headers.first(name: "content-type") ?? "", String(buffer: body))
    }

    static func post(_ url: String, form: String) async throws -> (Int, [String: Any]) {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.body = .bytes(ByteBuffer(string: form))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        let body = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), (try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any]) ?? [:])
    }

    @Test("each organisation gets a folder with its keystore and a complete integrasjonspunkt-local.properties")
    func writesOrganisationFolders() async throws {
        let scratch = try SandboxScratch()
        defer { scratch.remove() }
        let network = try await Self.start(scratch)
        defer { Task { await network.stop() } }
        #expect(network.organisations.map(\.organisationNumber) == ["910077473", "910075918"])
        for organisation in network.organisations {
            #expect(organisation.directory.lastPathComponent == organisation.organisationNumber)
            let text = try String(contentsOf: organisation.propertiesPath, encoding: .utf8)
            var properties: [String: String] = [:]
            for line in text.split(separator: "\n") where !line.hasPrefix("#") {
                let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
                properties[parts[0]] = parts.count > 1 ? parts[1] : ""
            }
            let required = [
                "server.port", "difi.move.org.number", "difi.move.org.keystore.path", "difi.move.org.keystore.alias",
                "difi.move.org.keystore.password", "difi.move.org.keystore.type", "difi.security.enable",
                "difi.security.user.name", "difi.security.user.password", "difi.ssl.enabled",
                "difi.move.serviceregistryEndpoint", "difi.move.sign.enable", "difi.move.sign.jwkUrl", "difi.move.oidc.enable",
                "difi.move.oidc.url", "difi.move.oidc.audience", "difi.move.dpo.brokerserviceUrl",
                "difi.move.dpo.altinnTokenExchangeUrl", "difi.move.dpo.resource", "difi.move.dpo.pollingrate",
                "difi.move.feature.enableDPO", "difi.move.ntp.disable", "difi.move.nextmove.ttlPollingrate",
                "difi.move.nextmove.lockTimeoutMinutes", "difi.move.nextmove.default-ttl-hours",
                "difi.move.queue.retry.initial-delay", "difi.move.queue.retry.multiplier", "difi.move.queue.retry.max-delay",
            ]
            for key in required { #expect(properties[key]?.isEmpty == false, "\(key) is missing") }
            #expect(properties["difi.move.org.number"] == organisation.organisationNumber)
            #expect(properties["server.port"] == "\(organisation.integrationPointPort)")
            #expect(properties["difi.ssl.enabled"] == "false")
            #expect(properties["difi.move.feature.enableDPO"] == "true")
            #expect(properties["difi.move.serviceregistryEndpoint"] == network.serviceRegistryURL)
            #expect(properties["difi.move.dpo.brokerserviceUrl"] == network.brokerServiceURL)
            let keystore = try Keystore.load(contentsOf: URL(fileURLWithPath: properties["difi.move.org.keystore.path"]!),
                                             type: .pkcs12, password: properties["difi.move.org.keystore.password"]!,
                                             alias: properties["difi.move.org.keystore.alias"])
            #expect(keystore.certificateDER == organisation.identity.certificateDER)
        }
        #expect(network.organisations.map(\.integrationPointPort) == [9093, 9094])
        #expect(network.summary.contains(network.brokerServiceURL))
        #expect(network.summary.contains(network.organisations[0].keystorePassword))
    }

    @Test("the registry answers 404 JSON for unknown identifiers, JWS when asked, and serves its JWK set")
    func registryAnswers() async throws {
        let scratch = try SandboxScratch()
        defer { scratch.remove() }
        let network = try await Self.start(scratch)
        defer { Task { await network.stop() } }
        let (status, type, body) = try await Self.get(network.serviceRegistryURL + "/identifier/123456789")
        #expect(status == 404)
        #expect(type.contains("application/json"))
        #expect(body.contains("error_description"))

        let (signedStatus, signedType, jws) = try await Self.get(network.serviceRegistryURL + "/identifier/910075918",
                                                                 accept: "application/jose, application/json")
        #expect(signedStatus == 200)
        #expect(signedType.contains("application/jose"))
        let parsed = try RS256CompactJWS.parse(jws)
        #expect(parsed.keyID == network.registry.signer.keyID)

        let (_, _, jwkText) = try await Self.get(network.jwkURL)
        let jwkSet = try JSONSerialization.jsonObject(with: Data(jwkText.utf8)) as? [String: Any]
        let jwk = try #require((jwkSet?["keys"] as? [[String: Any]])?.first)
        try RS256CompactJWS.verify(parsed, with: try RS256CompactJWS.publicKey(fromJWK: jwk))

        let (_, _, pem) = try await Self.get(network.serviceRegistryURL + "/virksert/910077473")
        #expect(pem.hasPrefix("-----BEGIN CERTIFICATE-----"))
    }

    @Test("Maskinporten refuses grants with the wrong audience, an expired exp, or a bad signature")
    func maskinportenRefusals() async throws {
        let scratch = try SandboxScratch()
        defer { scratch.remove() }
        let network = try await Self.start(scratch)
        defer { Task { await network.stop() } }
        let identity = try #require(network.organisation("910077473")?.identity)
        func grant(aud: String, exp: Int, tamper: Bool = false) throws -> String {
            let now = Int(Date().timeIntervalSince1970)
            let claims: [String: Any] = ["aud": aud, "iss": "MOVE_IP_910077473", "scope": "eformidling:dpo", "iat": now, "exp": exp,
                                         "jti": UUID().uuidString]
            var jws = try RS256CompactJWS.sign(payload: try JSONSerialization.data(withJSONObject: claims),
                                               extraHeader: ["x5c": [identity.certificateDER.base64EncodedString()]],
                                               key: identity.privateKey)
            if tamper { jws = String(jws.dropLast(4)) + (jws.hasSuffix("AAAA") ? "BBBB" : "AAAA") }
            return jws
        }
        func form(_ assertion: String) -> String {
            "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=\(assertion)"
        }
        let now = Int(Date().timeIntervalSince1970)
        let (ok, token) = try await Self.post(network.maskinportenTokenURL, form: form(try grant(aud: network.maskinportenAudience, exp: now + 120)))
        #expect(ok == 200)
        #expect(token["token_type"] as? String == "Bearer")
        #expect(token["expires_in"] as? Int == 120)
        #expect(token["scope"] as? String == "eformidling:dpo")
        let accessToken = try #require(token["access_token"] as? String)

        let (wrongAudience, body1) = try await Self.post(network.maskinportenTokenURL, form: form(try grant(aud: "https://maskinporten.no/", exp: now + 120)))
        #expect(wrongAudience == 400)
        #expect(body1["error"] as? String == "invalid_grant")
        let (expired, _) = try await Self.post(network.maskinportenTokenURL, form: form(try grant(aud: network.maskinportenAudience, exp: now - 10)))
        #expect(expired == 400)
        let (tampered, body3) = try await Self.post(network.maskinportenTokenURL, form: form(try grant(aud: network.maskinportenAudience, exp: now + 120, tamper: true)))
        #expect(tampered == 400)
        #expect((body3["error_description"] as? String)?.contains("signature") == true)
        #expect(network.maskinporten.receivedGrants.map(\.accepted) == [true, false, false, false])

        // The exchange wants a sandbox Maskinporten token, and answers a plain-text Altinn token.
        let (exchanged, _, altinnToken) = try await Self.get(network.altinnTokenExchangeURL, bearer: accessToken)
        #expect(exchanged == 200)
        #expect(altinnToken.split(separator: ".").count == 3)
        let (refused, _, _) = try await Self.get(network.altinnTokenExchangeURL, bearer: "forged")
        #expect(refused == 401)
    }

    @Test("fixed ports are honoured and a taken port is a clear start-up error")
    func fixedPorts() async throws {
        let scratch = try SandboxScratch()
        defer { scratch.remove() }
        let first = try await Self.start(scratch)
        defer { Task { await first.stop() } }
        let takenPort = Int(URLComponents(string: first.serviceRegistryURL)!.port!)
        let other = try SandboxScratch()
        defer { other.remove() }
        await #expect(throws: (any Error).self) {
            let second = try await SandboxNetwork.start(.init(directory: other.url, registryPort: takenPort, certificateKeyBits: 2048, makeKey: TestKeys.key))
            await second.stop()
        }
    }
}
