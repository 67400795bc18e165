import AsyncHTTPClient
import Channels
import Engine
import Foundation
import IPConfiguration
import Logging
import Packaging

/// The clients of the national services this integration point uses, built from the configuration.
struct NationalServices: Sendable {
    let registry: ServiceRegistryClient
    /// nil unless `difi.move.feature.enableDPO=true`.
    let dpo: DPOTransport?

    static func make(_ configuration: IntegrasjonspunktConfiguration, identity: PrivateKeyAndCertificate,
                     workDirectory: URL, logger: Logger) throws -> NationalServices {
        let http = HTTPClient.shared
        let org = configuration.org.number
        let oidc = configuration.oidc
        let maskinporten = MaskinportenClient(
            configuration: MaskinportenConfiguration(tokenURL: oidc.url, audience: oidc.audience, organisationNumber: org,
                                                     clientID: oidc.clientId, keystore: identity),
            httpClient: http)
        let registryTokens: (any AccessTokenProvider)? = oidc.enabled
            ? maskinporten.provider(scopes: MaskinportenScopes.serviceRegistry(enabledChannels: configuration.features.enabledChannels))
            : nil
        let registry = ServiceRegistryClient(
            configuration: ServiceRegistryConfiguration(endpoint: configuration.serviceRegistryEndpoint,
                                                        requireSignedAnswers: configuration.sign.enabled,
                                                        jwkURL: configuration.sign.jwkURL,
                                                        enableBetaFeatures: configuration.features.enableBetaFeatures),
            httpClient: http, tokenProvider: registryTokens)
        guard configuration.features.enableDPO else { return NationalServices(registry: registry, dpo: nil) }
        return NationalServices(registry: registry,
                                dpo: try dpoTransport(configuration, identity: identity, workDirectory: workDirectory, logger: logger))
    }

    private static func dpoTransport(_ configuration: IntegrasjonspunktConfiguration, identity: PrivateKeyAndCertificate,
                                     workDirectory: URL, logger: Logger) throws -> DPOTransport {
        let http = HTTPClient.shared
        let org = configuration.org.number
        let dpo = configuration.dpo
        let maskinporten = MaskinportenClient(
            configuration: MaskinportenConfiguration(tokenURL: dpo.oidcURL, audience: dpo.oidcAudience,
                                                     organisationNumber: org, clientID: dpo.oidcClientId, keystore: identity),
            httpClient: http)
        let systemUserOrg = AltinnBrokerConfiguration.party(dpo.systemUserOrgId ?? org)
        let systemUser = AltinnSystemUser(organisationID: systemUserOrg,
                                          name: dpo.systemUserName ?? "\(org)_integrasjonspunkt_systembruker_\(org)")
        let altinn = AltinnTokenExchange(exchangeURL: dpo.altinnTokenExchangeURL, maskinporten: maskinporten,
                                         systemUser: systemUser, httpClient: http)
        var brokerConfiguration = AltinnBrokerConfiguration(brokerServiceURL: dpo.brokerserviceURL, organisationNumber: org)
        if let resource = dpo.resource { brokerConfiguration.resourceID = resource }
        let broker = AltinnBrokerClient(configuration: brokerConfiguration, httpClient: http, tokens: altinn)
        let temporary = workDirectory.appendingPathComponent("tmp/dpo")
        try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        return DPOTransport(broker: broker, temporaryDirectory: temporary, messageChannel: dpo.messageChannel,
                            logger: logger)
    }
}
