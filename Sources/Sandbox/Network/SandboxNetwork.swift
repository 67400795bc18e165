import _CryptoExtras
import Foundation
import Hummingbird
import Logging

/// The whole local eFormidling network on loopback: a test CA, the service registry, Maskinporten with the
/// Altinn token exchange, the Altinn 3 Broker, and the twins of the other channels' services (``SandboxService``)
/// — plus, for each organisation, a keystore and a ready `integrasjonspunkt-local.properties` in its own folder
/// under `directory`.
public final class SandboxNetwork: Sendable {
    public struct OrganisationSpec: Sendable {
        public var organisationNumber: String
        public var name: String
        /// The `server.port` its integration point will listen on.
        public var integrationPointPort: Int

        public init(organisationNumber: String, name: String, integrationPointPort: Int) {
            self.organisationNumber = organisationNumber
            self.name = name
            self.integrationPointPort = integrationPointPort
        }
    }

    public struct Configuration: Sendable {
        public var directory: URL
        public var organisations: [OrganisationSpec]
        public var host: String
        /// 0 picks free ports.
        public var registryPort: Int
        public var maskinportenPort: Int
        public var brokerPort: Int
        /// Key size of the issued virksomhetssertifikater (3072 as production; tests may pick 2048 for speed).
        public var certificateKeyBits: Int
        public var dpoResource: String
        /// `difi.move.dpo.pollingrate` written to the properties, in milliseconds.
        public var dpoPollingRateMilliseconds: Int
        public var now: @Sendable () -> Date
        /// The channels' service twins started beside the broker (``defaultServices``: all of them).
        public var services: [SandboxServiceFactory]
        /// Makes the RSA keys: `(purpose, bits)` → key. Tests pass a pool of ready keys to skip key generation.
        public var makeKey: @Sendable (_ purpose: String, _ bits: Int) throws -> _RSA.Signing.PrivateKey

        /// Every channel's twin. Adding a channel is one line here.
        public static let defaultServices: [SandboxServiceFactory] = [
            SandboxAltinnCorrespondence.factory,
            SandboxDPE.factory(),
            SandboxKSFiks.factory,
            SandboxDigitalPost.factory,
        ]

        public static let defaultOrganisations = [
            OrganisationSpec(organisationNumber: "910077473", name: "Sandbox Avsender", integrationPointPort: 9093),
            OrganisationSpec(organisationNumber: "910075918", name: "Sandbox Mottaker", integrationPointPort: 9094),
        ]

        public init(directory: URL, organisations: [OrganisationSpec] = Configuration.defaultOrganisations,
                    host: String = "127.0.0.1", registryPort: Int = 0, maskinportenPort: Int = 0, brokerPort: Int = 0,
                    certificateKeyBits: Int = 3072, dpoResource: String = "eformidling-dpo-meldingsutveksling",
                    dpoPollingRateMilliseconds: Int = 1000, now: @escaping @Sendable () -> Date = { Date() },
                    services: [SandboxServiceFactory] = Configuration.defaultServices,
                    makeKey: @escaping @Sendable (_ purpose: String, _ bits: Int) throws -> _RSA.Signing.PrivateKey = { _, bits in
                        try _RSA.Signing.PrivateKey(keySize: .init(bitCount: bits))
                    }) {
            self.makeKey = makeKey
            self.directory = directory
            self.organisations = organisations
            self.host = host
            self.registryPort = registryPort
            self.maskinportenPort = maskinportenPort
            self.brokerPort = brokerPort
            self.certificateKeyBits = certificateKeyBits
            self.dpoResource = dpoResource
            self.dpoPollingRateMilliseconds = dpoPollingRateMilliseconds
            self.now = now
            self.services = services
        }
    }

    /// One organisation of the network, with what its integration point needs.
    public struct Organisation: Sendable {
        public let organisationNumber: String
        public let name: String
        public let identity: SandboxIdentity
        public let directory: URL
        public let keystorePath: URL
        public let keystoreAlias: String
        public let keystorePassword: String
        public let propertiesPath: URL
        public let integrationPointPort: Int
        public let username: String
        public let password: String
    }

    public let authority: SandboxCertificateAuthority
    public let registry: SandboxServiceRegistry
    public let maskinporten: SandboxMaskinporten
    public let broker: SandboxAltinnBroker
    public let organisations: [Organisation]
    /// The channels' service twins, in the order of ``Configuration/services``.
    public let services: [any SandboxService]

    public let serviceRegistryURL: String
    public let jwkURL: String
    public let maskinportenTokenURL: String
    public let maskinportenAudience: String
    public let altinnTokenExchangeURL: String
    public let brokerServiceURL: String

    private let servers: [SandboxHTTPServer]

    private init(authority: SandboxCertificateAuthority, registry: SandboxServiceRegistry, maskinporten: SandboxMaskinporten,
                 broker: SandboxAltinnBroker, organisations: [Organisation], services: [any SandboxService],
                 servers: [SandboxHTTPServer]) {
        self.authority = authority
        self.services = services
        self.registry = registry
        self.maskinporten = maskinporten
        self.broker = broker
        self.organisations = organisations
        self.servers = servers
        serviceRegistryURL = servers[0].baseURL
        jwkURL = servers[0].baseURL + "/jwk"
        maskinportenTokenURL = servers[1].baseURL + "/token"
        maskinportenAudience = servers[1].baseURL + "/"
        altinnTokenExchangeURL = servers[1].baseURL + SandboxMaskinporten.exchangePath
        brokerServiceURL = servers[2].baseURL + SandboxAltinnBroker.basePath
    }

    public func organisation(_ number: String) -> Organisation? {
        organisations.first { $0.organisationNumber == number }
    }

    /// The running twin of type `T`, e.g. `network.service(SandboxAltinnCorrespondence.self)`.
    public func service<T: SandboxService>(_ type: T.Type) -> T? {
        services.lazy.compactMap { $0 as? T }.first
    }

    /// Issues the certificates, starts the servers and writes each organisation's folder.
    public static func start(_ configuration: Configuration, logger: Logger = Logger(label: "sandbox")) async throws -> SandboxNetwork {
        try FileManager.default.createDirectory(at: configuration.directory, withIntermediateDirectories: true)
        let now = configuration.now()
        let bits = configuration.certificateKeyBits
        let authority = try SandboxCertificateAuthority(now: now, key: try configuration.makeKey("ca", bits))
        let identities = try configuration.organisations.map {
            try authority.issueVirksomhetssertifikat(organisationNumber: $0.organisationNumber, organisationName: $0.name,
                                                     now: now, key: try configuration.makeKey("org-\($0.organisationNumber)", bits))
        }
        try authority.certificatePEMData.write(to: configuration.directory.appendingPathComponent("sandbox-ca.pem"))

        let altinnSigner = SandboxTokenSigner(keyID: "sandbox-altinn", key: try configuration.makeKey("altinn", 2048))
        let registry = try SandboxServiceRegistry(
            configuration: .init(organisations: identities, dpoResource: configuration.dpoResource),
            signer: SandboxTokenSigner(keyID: "sandbox-service-registry", key: try configuration.makeKey("registry", 2048)))
        let maskinporten = try SandboxMaskinporten(
            configuration: .init(audience: ""), authority: authority, altinnSigner: altinnSigner,
            tokenSigner: SandboxTokenSigner(keyID: "sandbox-maskinporten", key: try configuration.makeKey("maskinporten", 2048)),
            now: configuration.now)
        let broker = try SandboxAltinnBroker(storageDirectory: configuration.directory.appendingPathComponent("broker"),
                                             altinnSigner: altinnSigner, now: configuration.now)

        let context = SandboxServiceContext(
            authority: authority, registry: registry, maskinporten: maskinporten, altinnSigner: altinnSigner,
            directory: configuration.directory, certificateKeyBits: bits, organisations: identities,
            now: configuration.now, makeKey: configuration.makeKey)
        let services = try configuration.services.map { try $0(context) }
        var servers: [SandboxHTTPServer] = []
        do {
            let registryRouter = Router()
            registry.addRoutes(to: registryRouter)
            for service in services { service.addRegistryRoutes(to: registryRouter) }
            servers.append(try await SandboxHTTPServer.start(router: registryRouter, host: configuration.host,
                                                              port: configuration.registryPort, name: "service registry", logger: logger))
            let maskinportenRouter = Router()
            maskinporten.addRoutes(to: maskinportenRouter)
            servers.append(try await SandboxHTTPServer.start(router: maskinportenRouter, host: configuration.host,
                                                              port: configuration.maskinportenPort, name: "Maskinporten", logger: logger))
            let brokerRouter = Router()
            broker.addRoutes(to: brokerRouter)
            servers.append(try await SandboxHTTPServer.start(router: brokerRouter, host: configuration.host,
                                                              port: configuration.brokerPort, name: "Altinn broker", logger: logger))
            for service in services {
                let router = Router()
                service.addRoutes(to: router)
                let server = try await SandboxHTTPServer.start(router: router, host: configuration.host, port: 0,
                                                               name: service.name, logger: logger)
                servers.append(server)
                try service.started(baseURL: server.baseURL, network: context)
            }
        } catch {
            for server in servers { await server.stop() }
            throw error
        }
        let audience = servers[1].baseURL + "/"
        maskinporten.update { $0.audience = audience }
        let brokerURL = servers[2].baseURL + SandboxAltinnBroker.basePath
        registry.update { $0.dpoEndpointURL = brokerURL }

        let organisations = try zip(configuration.organisations, identities).map { spec, identity in
            try writeFolder(of: spec, identity: identity, in: configuration.directory)
        }
        let network = SandboxNetwork(authority: authority, registry: registry, maskinporten: maskinporten, broker: broker,
                                     organisations: organisations, services: services, servers: servers)
        for organisation in organisations {
            try network.properties(for: organisation, pollingRate: configuration.dpoPollingRateMilliseconds,
                                   resource: configuration.dpoResource)
                .write(to: organisation.propertiesPath, atomically: true, encoding: .utf8)
        }
        return network
    }

    /// The organisation's folder with its keystore (a new random password) and certificate.
    private static func writeFolder(of spec: OrganisationSpec, identity: SandboxIdentity,
                                    in directory: URL) throws -> Organisation {
        let folder = directory.appendingPathComponent(spec.organisationNumber)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let alias = "sandbox-\(spec.organisationNumber)"
        let keystorePassword = Self.randomSecret()
        let keystorePath = folder.appendingPathComponent("virksomhetssertifikat.p12")
        try identity.pkcs12(alias: alias, password: keystorePassword).write(to: keystorePath)
        try identity.certificatePEM.write(to: folder.appendingPathComponent("virksomhetssertifikat.pem"), atomically: true, encoding: .utf8)
        return Organisation(
            organisationNumber: spec.organisationNumber, name: spec.name, identity: identity, directory: folder,
            keystorePath: keystorePath, keystoreAlias: alias, keystorePassword: keystorePassword,
            propertiesPath: folder.appendingPathComponent("integrasjonspunkt-local.properties"),
            integrationPointPort: spec.integrationPointPort, username: "sandbox", password: Self.randomSecret())
    }

    /// The `integrasjonspunkt-local.properties` text for `organisation` against this network.
    public func properties(for organisation: Organisation, pollingRate: Int = 1000,
                           resource: String = "eformidling-dpo-meldingsutveksling") -> String {
        let host = URL(string: serviceRegistryURL)?.host ?? "127.0.0.1"
        let entries: [(String, String)] = [
            ("server.port", "\(organisation.integrationPointPort)"),
            ("server.address", host),
            ("difi.move.org.number", organisation.organisationNumber),
            ("difi.move.org.keystore.path", organisation.keystorePath.path),
            ("difi.move.org.keystore.alias", organisation.keystoreAlias),
            ("difi.move.org.keystore.password", organisation.keystorePassword),
            ("difi.move.org.keystore.type", "PKCS12"),
            ("difi.security.enable", "true"),
            ("difi.security.user.name", organisation.username),
            ("difi.security.user.password", organisation.password),
            ("difi.ssl.enabled", "false"),
            ("difi.move.serviceregistryEndpoint", serviceRegistryURL),
            ("difi.move.sign.enable", "true"),
            ("difi.move.sign.jwkUrl", jwkURL),
            ("difi.move.oidc.enable", "true"),
            ("difi.move.oidc.url", maskinportenTokenURL),
            ("difi.move.oidc.audience", maskinportenAudience),
            ("difi.move.dpo.brokerserviceUrl", brokerServiceURL),
            ("difi.move.dpo.altinnTokenExchangeUrl", altinnTokenExchangeURL),
            ("difi.move.dpo.resource", resource),
            ("difi.move.dpo.pollingrate", "\(pollingRate)"),
            ("difi.move.feature.enableDPO", "true"),
            ("difi.move.ntp.disable", "true"),
            ("difi.move.nextmove.ttlPollingrate", "1000"),
            ("difi.move.nextmove.lockTimeoutMinutes", "1"),
            ("difi.move.nextmove.default-ttl-hours", "24"),
            ("difi.move.queue.retry.initial-delay", "1s"),
            ("difi.move.queue.retry.multiplier", "2"),
            ("difi.move.queue.retry.max-delay", "10s"),
        ]
        let channelEntries = services.flatMap { $0.properties(for: organisation, in: self) }
        let header = "# Written by the eFormidling sandbox for \(organisation.name) (\(organisation.organisationNumber)).\n"
        return header + (entries + channelEntries).map { "\($0.0)=\(Self.escapeProperty($0.1))" }.joined(separator: "\n") + "\n"
    }

    /// Stops the servers.
    public func stop() async {
        for server in servers { await server.stop() }
    }

    /// Escapes what `.properties` treats specially (backslash, and `:`/`=` are fine in values but `\` is not).
    static func escapeProperty(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\")
    }

    static func randomSecret() -> String {
        let alphabet = Array("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        return String((0..<20).map { _ in alphabet.randomElement()! })
    }
}

extension SandboxCertificateAuthority {
    var certificatePEMData: Data { Data(SandboxIdentity.pem(certificateDER).utf8) }
}

extension SandboxNetwork {
    /// What a person needs to point integration points at the network: URLs, folders and credentials.
    public var summary: String {
        var lines = [
            "eFormidling sandbox network",
            "  service registry        \(serviceRegistryURL)   (JWK set: \(jwkURL))",
            "  Maskinporten token      \(maskinportenTokenURL)   (audience \(maskinportenAudience))",
            "  Altinn token exchange   \(altinnTokenExchangeURL)",
            "  Altinn 3 Broker         \(brokerServiceURL)",
        ]
        for service in services { lines += service.summary.map { "  " + $0 } }
        for organisation in organisations {
            lines.append("  \(organisation.organisationNumber) \(organisation.name)")
            lines.append("    folder      \(organisation.directory.path)")
            lines.append("    keystore    \(organisation.keystorePath.path) (alias \(organisation.keystoreAlias), password \(organisation.keystorePassword))")
            lines.append("    API user    \(organisation.username) / \(organisation.password) on port \(organisation.integrationPointPort)")
        }
        return lines.joined(separator: "\n")
    }
}
