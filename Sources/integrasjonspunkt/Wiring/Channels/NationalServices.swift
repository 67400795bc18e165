import AsyncHTTPClient
import Channels
import Engine
import Foundation
import IPConfiguration
import Logging
import Packaging

/// The service registry client every channel and the API's lookups share, built from the configuration.
enum NationalServices {
    static func registry(_ configuration: IntegrasjonspunktConfiguration, identity: PrivateKeyAndCertificate,
                         httpClient: HTTPClient = .shared) -> ServiceRegistryClient {
        let oidc = configuration.oidc
        let maskinporten = MaskinportenClient(
            configuration: MaskinportenConfiguration(tokenURL: oidc.url, audience: oidc.audience,
                                                     organisationNumber: configuration.org.number,
                                                     clientID: oidc.clientId, keystore: identity),
            httpClient: httpClient)
        let registryTokens: (any AccessTokenProvider)? = oidc.enabled
            ? maskinporten.provider(scopes: MaskinportenScopes.serviceRegistry(enabledChannels: configuration.features.enabledChannels))
            : nil
        return ServiceRegistryClient(
            configuration: ServiceRegistryConfiguration(endpoint: configuration.serviceRegistryEndpoint,
                                                        requireSignedAnswers: configuration.sign.enabled,
                                                        jwkURL: configuration.sign.jwkURL,
                                                        enableBetaFeatures: configuration.features.enableBetaFeatures),
            httpClient: httpClient, tokenProvider: registryTokens)
    }
}
