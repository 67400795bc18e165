import Foundation

/// The channel and archive-system sections: `difi.move.dpo.*` and `difi.move.noarkSystem.*`.
extension ConfigurationBinder {
    mutating func bindDPO(enabled: Bool, orgNumberKnown: Bool, oidc: IntegrasjonspunktConfiguration.OIDC,
                          uploadSizeLimit: Int64) -> IntegrasjonspunktConfiguration.DPO {
        let prefix = "difi.move.dpo"
        let resource = string("\(prefix).resource")
        let systemUserOrgId = string("\(prefix).systemUser.orgId")
        let systemUserName = string("\(prefix).systemUser.name")
        if enabled {
            if resource == nil {
                problem("\(prefix).resource", nil, "is missing while difi.move.feature.enableDPO=true",
                        "Set difi.move.dpo.resource to the Altinn resource id (default eformidling-dpo-meldingsutveksling).")
            }
            if orgNumberKnown {
                if systemUserOrgId == nil {
                    problem("\(prefix).systemUser.orgId", nil, "is missing while difi.move.feature.enableDPO=true",
                            "Set difi.move.dpo.systemUser.orgId to 0192:<your organisation number>.")
                }
                if systemUserName == nil {
                    problem("\(prefix).systemUser.name", nil, "is missing while difi.move.feature.enableDPO=true",
                            "Set difi.move.dpo.systemUser.name to the name of your Altinn system user.")
                }
            }
        }
        return .init(
            brokerserviceURL: url("\(prefix).brokerserviceUrl") ?? "",
            altinnTokenExchangeURL: url("\(prefix).altinnTokenExchangeUrl") ?? "",
            resource: resource,
            systemName: string("\(prefix).systemName") ?? "",
            systemUserOrgId: systemUserOrgId,
            systemUserName: systemUserName,
            systemRegisterURL: url("\(prefix).systemRegisterUrl") ?? "",
            pollingRate: duration("\(prefix).pollingrate", default: .seconds(15)),
            connectTimeout: duration("\(prefix).connectTimeout", default: .seconds(3)),
            requestTimeout: duration("\(prefix).requestTimeout", default: .seconds(30)),
            messageChannel: string("\(prefix).messageChannel"),
            uploadSizeLimit: uploadSizeLimit,
            oidcURL: url("\(prefix).oidc.url") ?? oidc.url,
            oidcAudience: string("\(prefix).oidc.audience") ?? oidc.audience,
            oidcClientId: string("\(prefix).oidc.clientId") ?? oidc.clientId)
    }

    mutating func bindNoarkSystem() -> IntegrasjonspunktConfiguration.NoarkSystem? {
        let prefix = "difi.move.noarkSystem"
        let typeText = string("\(prefix).type")
        var type = IntegrasjonspunktConfiguration.NoarkSystem.SystemType.noarkExchange
        if let typeText {
            let lower = typeText.lowercased()
            if let known = IntegrasjonspunktConfiguration.NoarkSystem.SystemType.allCases.first(where: { $0.rawValue.lowercased() == lower }) {
                type = known
            } else if lower == "mail" {
                problem("\(prefix).type", typeText, "is not supported: incoming messages are not delivered by e-mail",
                        "Use P360, ePhorte, WebSak or noarkExchange with difi.move.noarkSystem.endpointURL, or remove the key and let the archive system take messages from /api/messages/in.")
            } else {
                problem("\(prefix).type", typeText, "is not a known archive system type",
                        "Use P360, ePhorte, WebSak or noarkExchange (any endpoint implementing noarkExchange.wsdl).")
            }
        }
        guard let endpoint = string("\(prefix).endpointURL") else {
            if let typeText, typeText.lowercased() != "mail" {
                warnings.append("\(prefix).type=\(typeText) is set without \(prefix).endpointURL: incoming messages wait on /api/messages/in.")
            }
            return nil
        }
        guard isHTTPURL(endpoint) else {
            problem("\(prefix).endpointURL", endpoint, "is not an http(s) URL",
                    "Set it to the archive system's BEST/EDU web service, e.g. http://archive:8088/SI.WS.Core/Integration/EDUImport.svc/EDUImportService for P360.")
            return nil
        }
        return .init(endpointURL: endpoint, type: type, username: string("\(prefix).username"),
                     password: secret("\(prefix).password"), domain: string("\(prefix).domain"))
    }
}
