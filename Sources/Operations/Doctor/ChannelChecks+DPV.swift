import AsyncHTTPClient
import Channels
import Foundation

extension ChannelChecks {
    /// DPV: Altinn's health probe answers, and the correspondence API takes our token (a lookup by a
    /// sendersReference nobody uses answers an empty list).
    func dpv() async -> Doctor.Finding {
        let dpv = configuration.dpv
        if !dpv.healthCheckURL.isEmpty {
            do {
                try await AltinnCorrespondenceClient.checkHealth(url: dpv.healthCheckURL, httpClient: httpClient)
            } catch {
                return Doctor.Finding("channel DPV", .fail, "\(error)",
                                      remedy: Self.remedy(for: error, service: "Altinn",
                                                          keys: "difi.move.dpv.health-check-url"))
            }
        }
        let maskinporten = maskinportenClient(url: dpv.oidcURL, audience: dpv.oidcAudience, clientID: dpv.oidcClientId)
        let tokens = AltinnTokenExchange(exchangeURL: dpv.altinnTokenExchangeURL, maskinporten: maskinporten,
                                         systemUser: nil, scopes: MaskinportenScopes.dpv, httpClient: httpClient)
        let client = AltinnCorrespondenceClient(serviceURL: dpv.correspondenceServiceURL, httpClient: httpClient, tokens: tokens)
        do {
            _ = try await client.correspondences(sendersReference: UUID().uuidString.lowercased())
            return Doctor.Finding("channel DPV", .pass,
                                  "Altinn Correspondence at \(dpv.correspondenceServiceURL) takes our token (scope eformidling:dpv)"
                                  + (dpv.healthCheckURL.isEmpty ? "." : "; \(dpv.healthCheckURL) answers."))
        } catch {
            return Doctor.Finding("channel DPV", .fail, "\(error)",
                                  remedy: Self.remedy(for: error, service: "Altinn Correspondence",
                                                      keys: "difi.move.dpv.correspondenceServiceUrl, .altinnTokenExchangeUrl and .oidc.*; Digdir must have put the organisation on the DPV access list"))
        }
    }
}
