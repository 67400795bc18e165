import AsyncHTTPClient
import Channels
import Foundation
import IPConfiguration
import Packaging
import X509

/// The doctor's checks of the national services: Maskinporten, the service registry, and each enabled channel.
struct ChannelChecks: Sendable {
    let configuration: IntegrasjonspunktConfiguration
    let identity: PrivateKeyAndCertificate
    let httpClient: HTTPClient
    let now: @Sendable () -> Date

    var org: String { configuration.org.number }
    var registryScopes: [String] { MaskinportenScopes.serviceRegistry(enabledChannels: configuration.features.enabledChannels) }

    func maskinportenClient(url: String, audience: String, clientID: String) -> MaskinportenClient {
        MaskinportenClient(configuration: MaskinportenConfiguration(tokenURL: url, audience: audience, organisationNumber: org,
                                                                    clientID: clientID, keystore: identity),
                           httpClient: httpClient)
    }

    func registryClient() -> ServiceRegistryClient {
        let oidc = configuration.oidc
        let tokens: (any AccessTokenProvider)? = oidc.enabled
            ? maskinportenClient(url: oidc.url, audience: oidc.audience, clientID: oidc.clientId).provider(scopes: registryScopes)
            : nil
        return ServiceRegistryClient(
            configuration: ServiceRegistryConfiguration(endpoint: configuration.serviceRegistryEndpoint,
                                                        requireSignedAnswers: configuration.sign.enabled,
                                                        jwkURL: configuration.sign.jwkURL,
                                                        enableBetaFeatures: configuration.features.enableBetaFeatures),
            httpClient: httpClient, tokenProvider: tokens)
    }

    func maskinporten() async -> Doctor.Finding {
        let oidc = configuration.oidc
        guard oidc.enabled else {
            return Doctor.Finding("maskinporten", .skip, "difi.move.oidc.enable=false: the service registry is called without a token.")
        }
        var scopes = registryScopes
        do {
            let token = try await maskinportenClient(url: oidc.url, audience: oidc.audience, clientID: oidc.clientId)
                .accessToken(scopes: scopes)
            var detail = "A token from \(oidc.url) for \(token.scope.isEmpty ? scopes.joined(separator: " ") : token.scope)"
            if configuration.features.enableDPO {
                let dpo = configuration.dpo
                scopes = MaskinportenScopes.altinnBroker
                _ = try await maskinportenClient(url: dpo.oidcURL, audience: dpo.oidcAudience, clientID: dpo.oidcClientId)
                    .accessToken(scopes: scopes)
                detail += "; and for DPO \(scopes.joined(separator: " "))"
            }
            return Doctor.Finding("maskinporten", .pass, detail + ".")
        } catch {
            return Doctor.Finding("maskinporten", .fail, "No token for \(scopes.joined(separator: " ")) from \(oidc.url): \(error)",
                                  remedy: Self.remedy(for: error, service: "Maskinporten",
                                                      keys: "difi.move.oidc.url, .audience and .clientId (MOVE_IP_\(org) unless set); the client must have the scopes and the certificate registered with Digdir"))
        }
    }

    func registry() async -> Doctor.Finding {
        do {
            let info = try await registryClient().info(identifier: org)
            return Doctor.Finding("service registry", .pass,
                                  "\(configuration.serviceRegistryEndpoint) knows \(org) (\(info.organizationName ?? "no name")).")
        } catch {
            return Doctor.Finding("service registry", .fail, "\(configuration.serviceRegistryEndpoint): \(error)",
                                  remedy: Self.remedy(for: error, service: "the service registry",
                                                      keys: "difi.move.serviceregistryEndpoint, and Maskinporten above"))
        }
    }

    func virksert() async -> Doctor.Finding {
        do {
            let pem = try await registryClient().virksert(identifier: org)
            let registered = try Certificate(pemEncoded: pem)
            if registered == identity.certificate {
                return Doctor.Finding("certificate in registry", .pass, "The registry has this keystore's certificate for \(org).")
            }
            return Doctor.Finding("certificate in registry", .fail,
                                  "The registry has another certificate for \(org): '\(registered.subject)', serial \(registered.serialNumber), expires \(ISO8601DateFormatter().string(from: registered.notValidAfter)).",
                                  remedy: "Senders encrypt to the registered certificate, so this integration point cannot read their messages. Use the keystore with the registered certificate, or register the new certificate with Digdir.")
        } catch {
            return Doctor.Finding("certificate in registry", .fail, "Cannot fetch /virksert/\(org): \(error)",
                                  remedy: Self.remedy(for: error, service: "the service registry",
                                                      keys: "difi.move.serviceregistryEndpoint; the certificate must be registered with Digdir"))
        }
    }

    func channels() async -> [Doctor.Finding] {
        var findings: [Doctor.Finding] = []
        for channel in configuration.features.enabledChannels {
            switch channel {
            case "DPO": findings.append(await dpo())
            case "DPV": findings.append(await dpv())
            case "DPE": findings.append(await dpe())
            case "DPF": findings.append(contentsOf: await dpf())
            case "DPI": findings.append(await dpi())
            default:
                findings.append(Doctor.Finding("channel \(channel)", .warn, "Enabled, but this build does not implement \(channel).",
                                               remedy: "Disable difi.move.feature.enable\(channel) or route \(channel) traffic elsewhere."))
            }
        }
        if findings.isEmpty {
            findings.append(Doctor.Finding("channels", .warn, "No channel is enabled; the integration point can neither send nor receive.",
                                           remedy: "Set difi.move.feature.enableDPO=true (or another channel)."))
        }
        return findings
    }

    func dpo() async -> Doctor.Finding {
        let dpo = configuration.dpo
        let maskinporten = maskinportenClient(url: dpo.oidcURL, audience: dpo.oidcAudience, clientID: dpo.oidcClientId)
        let systemUser = AltinnSystemUser(organisationID: AltinnBrokerConfiguration.party(dpo.systemUserOrgId ?? org),
                                          name: dpo.systemUserName ?? "\(org)_integrasjonspunkt_systembruker_\(org)")
        let altinn = AltinnTokenExchange(exchangeURL: dpo.altinnTokenExchangeURL, maskinporten: maskinporten,
                                         systemUser: systemUser, httpClient: httpClient)
        var brokerConfiguration = AltinnBrokerConfiguration(brokerServiceURL: dpo.brokerserviceURL, organisationNumber: org)
        if let resource = dpo.resource { brokerConfiguration.resourceID = resource }
        let broker = AltinnBrokerClient(configuration: brokerConfiguration, httpClient: httpClient, tokens: altinn)
        do {
            let waiting = try await broker.publishedFileTransfers()
            return Doctor.Finding("channel DPO", .pass,
                                  "Altinn broker \(dpo.brokerserviceURL) answers for system user \(systemUser.name); \(waiting.count) file transfer(s) waiting.")
        } catch {
            return Doctor.Finding("channel DPO", .fail, "Altinn broker \(dpo.brokerserviceURL): \(error)",
                                  remedy: Self.remedy(for: error, service: "the Altinn broker",
                                                      keys: "difi.move.dpo.brokerserviceUrl, .altinnTokenExchangeUrl, .resource and the system user (.systemUserOrgId, .systemUserName), approved in Altinn"))
        }
    }

    /// A remedy from the kind of failure: not reachable, refused credentials, or something else.
    static func remedy(for error: any Error, service: String, keys: String) -> String {
        let text = "\(error)".lowercased()
        if text.contains("connect") || text.contains("refused") || text.contains("timed out") || text.contains("timeout")
            || text.contains("resolve") || text.contains("unreachable") || text.contains("dns") {
            return "\(service) cannot be reached: check \(keys), the proxy and the firewall (outgoing HTTPS)."
        }
        if text.contains("401") || text.contains("403") || text.contains("unauthor") || text.contains("forbidden")
            || text.contains("invalid_client") || text.contains("invalid_scope") || text.contains("denied") {
            return "\(service) refused the credentials: check \(keys)."
        }
        return "Check \(keys)."
    }
}
