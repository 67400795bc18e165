import AsyncHTTPClient
import Channels
import Foundation
import Hummingbird
import Logging
import Sandbox
import Synchronization
import Testing
import TestTools

@Suite("DPE: the Service Bus key from the service registry's /sastoken")
struct RegistrySASKeyTests {
    /// The sandbox registry with `/sastoken` beside it, on loopback.
    static func withRegistry<T>(tokenSigner: SandboxTokenSigner? = nil,
                                _ body: (SandboxServiceBus, SandboxSASTokenEndpoint, String) async throws -> T) async throws -> T {
        let bus = SandboxServiceBus()
        let signer = SandboxTokenSigner(keyID: "sandbox-service-registry", key: try TestKeys.key("registry", 2048))
        let registry = try SandboxServiceRegistry(configuration: .init(organisations: []), signer: signer)
        let endpoint = SandboxSASTokenEndpoint(bus: bus, signer: tokenSigner ?? signer)
        let router = Router()
        registry.addRoutes(to: router)
        endpoint.addRoutes(to: router)
        var logger = Logger(label: "registry-test")
        logger.logLevel = .warning
        let server = try await SandboxHTTPServer.start(router: router, name: "registry", logger: logger)
        do {
            let result = try await body(bus, endpoint, server.baseURL)
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }

    @Test("signed: the key comes out of a JWS verified with the registry's JWK set; unsigned: as plain text")
    func registryAnswers() async throws {
        try await Self.withRegistry { bus, _, base in
            let signed = ServiceRegistryClient(configuration: .init(endpoint: base), httpClient: .shared)
            let signedKey = try await signed.sasKey()
            #expect(signedKey == bus.key)
            let plain = ServiceRegistryClient(configuration: .init(endpoint: base, requireSignedAnswers: false), httpClient: .shared)
            let plainKey = try await plain.sasKey()
            #expect(plainKey == bus.key)
        }
    }

    @Test("the key is kept a day, fetched again after a 401 (invalidate), and the last one bridges a registry outage")
    func caching() async throws {
        let clock = TestClock()
        try await Self.withRegistry { bus, endpoint, base in
            let registry = ServiceRegistryClient(configuration: .init(endpoint: base), httpClient: .shared)
            let keys = RegistrySASKey(registry: registry, now: clock.now)
            let fetched = try await keys.key()
            #expect(fetched == bus.key)
            let cached = try await keys.key()
            #expect(cached == bus.key)
            #expect(endpoint.requestCount == 1)

            bus.rotateKey(to: "second-key")
            let beforeRefusal = try await keys.key()
            #expect(beforeRefusal != "second-key", "still the cached key until the bus refuses it")
            await keys.invalidate()
            let refetched = try await keys.key()
            #expect(refetched == "second-key")
            #expect(endpoint.requestCount == 2)

            clock.advance(86_401)
            endpoint.failNext(3)
            let bridged = try await keys.key()
            #expect(bridged == "second-key", "the registry answers 503: the last key is used")
            await keys.invalidate()
            let error = await #expect(throws: SASKeyError.self) { _ = try await keys.key() }
            #expect(error?.description.contains("/sastoken") == true)
            #expect(error?.description.contains("503") == true)
        }
    }

    @Test("a key signed with another key than the registry publishes is refused, never used")
    func badSignature() async throws {
        let forger = SandboxTokenSigner(keyID: "sandbox-service-registry", key: try TestKeys.key("forger", 2048))
        try await Self.withRegistry(tokenSigner: forger) { _, _, base in
            let registry = ServiceRegistryClient(configuration: .init(endpoint: base), httpClient: .shared)
            let error = await #expect(throws: ServiceRegistryError.self) { _ = try await registry.sasKey() }
            guard case .badSignature = error else {
                Issue.record("expected a bad signature, got \(String(describing: error))")
                return
            }
            let keys = RegistrySASKey(registry: registry)
            await #expect(throws: SASKeyError.self) { _ = try await keys.key() }
        }
    }
}
