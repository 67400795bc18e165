import _CryptoExtras
import Foundation
import Hummingbird

/// A national service's local twin that the sandbox network starts on a port of its own (Altinn Correspondence for
/// DPV, SvarUt/SvarInn for DPF, Service Bus for DPE, corner 2 for DPI). Each channel adds one type conforming to
/// this in its folder, and one line in ``SandboxNetwork/Configuration/defaultServices``.
public protocol SandboxService: AnyObject, Sendable {
    /// Its name in the network's summary and logs ("Altinn 3 Correspondence").
    var name: String { get }
    /// The routes of its own server.
    func addRoutes(to router: Router<BasicRequestContext>)
    /// Routes it adds to the service registry's server (DPE's `/sastoken`); none by default.
    func addRegistryRoutes(to router: Router<BasicRequestContext>)
    /// Called once its server listens at `baseURL`: registers its organisations and persons in the registry.
    func started(baseURL: String, network: SandboxServiceContext) throws
    /// The keys it adds to each organisation's `integrasjonspunkt-local.properties`; `network` gives the URLs of
    /// the shared services (Maskinporten, the token exchange, the registry).
    func properties(for organisation: SandboxNetwork.Organisation, in network: SandboxNetwork) -> [(String, String)]
    /// Lines for the network's summary (URLs, test identities).
    var summary: [String] { get }
}

extension SandboxService {
    public func addRegistryRoutes(to router: Router<BasicRequestContext>) {}
}

/// What a sandbox service may use when it is made and started: the CA, the registry, Maskinporten's Altinn token
/// key, a folder of its own, the clock and the key maker.
public struct SandboxServiceContext: Sendable {
    public let authority: SandboxCertificateAuthority
    public let registry: SandboxServiceRegistry
    public let maskinporten: SandboxMaskinporten
    /// The key the Altinn token exchange signs with; Altinn services trust it.
    public let altinnSigner: SandboxTokenSigner
    /// The network's folder; a service keeps its state under a subfolder named after itself.
    public let directory: URL
    public let certificateKeyBits: Int
    /// The organisations with integration points, with their identities.
    public let organisations: [SandboxIdentity]
    public let now: @Sendable () -> Date
    public let makeKey: @Sendable (_ purpose: String, _ bits: Int) throws -> _RSA.Signing.PrivateKey

    /// Issues a virksomhetssertifikat for an organisation of the service's own (a municipality, an eInnsyn org).
    public func issueIdentity(organisationNumber: String, name: String) throws -> SandboxIdentity {
        try authority.issueVirksomhetssertifikat(organisationNumber: organisationNumber, organisationName: name,
                                                 now: now(), key: try makeKey("org-\(organisationNumber)", certificateKeyBits))
    }
}

/// Makes a sandbox service from the network's parts.
public typealias SandboxServiceFactory = @Sendable (SandboxServiceContext) throws -> any SandboxService
