import Foundation

/// `difi.move.dpv.*`: DPV over Digdir's Altinn Correspondence proxy.
extension ConfigurationBinder {
    mutating func bindDPV(enabled: Bool, oidc: IntegrasjonspunktConfiguration.OIDC) -> IntegrasjonspunktConfiguration.DPV {
        let prefix = "difi.move.dpv"
        let service = url("\(prefix).correspondenceServiceUrl")
        let exchange = url("\(prefix).altinnTokenExchangeUrl")
        if enabled {
            if service == nil, string("\(prefix).correspondenceServiceUrl") == nil {
                problem("\(prefix).correspondenceServiceUrl", nil, "is missing while difi.move.feature.enableDPV=true",
                        "Set it to Digdir's Altinn proxy, e.g. https://eformidling.no/altinn-proxy/correspondence/api/v1.")
            }
            if exchange == nil, string("\(prefix).altinnTokenExchangeUrl") == nil {
                problem("\(prefix).altinnTokenExchangeUrl", nil, "is missing while difi.move.feature.enableDPV=true",
                        "Set it to Altinn's token exchange, e.g. https://platform.altinn.no/authentication/api/v1/exchange/maskinporten.")
            }
        }
        // The health check URL may be set empty to switch the check off, as upstream.
        let health = string("\(prefix).health-check-url").map { _ in url("\(prefix).health-check-url") ?? "" } ?? ""
        var pollingRate: Duration?
        if raw.string("\(prefix).pollingrate") != nil {
            let rate = duration("\(prefix).pollingrate", default: .seconds(60))
            if rate < .milliseconds(100) {
                problem("\(prefix).pollingrate", raw.string("\(prefix).pollingrate"), "is shorter than 100 ms",
                        "Give the pause between DPV status polls in milliseconds, e.g. 60000 for once a minute.")
            } else {
                pollingRate = rate
            }
        }
        return .init(
            correspondenceServiceURL: service ?? "",
            altinnTokenExchangeURL: exchange ?? "",
            healthCheckURL: health,
            sensitiveResource: string("\(prefix).sensitiveResource") ?? "eformidling-dpv-taushetsbelagt",
            notifyEmail: bool("\(prefix).notifyEmail", default: true),
            notifySms: bool("\(prefix).notifySms", default: true),
            notificationText: string("\(prefix).notification-text") ?? "",
            sensitiveNotificationText: string("\(prefix).sensitive-notification-text") ?? "",
            emailSubject: string("\(prefix).email-subject") ?? "Melding mottatt i Altinn",
            daysToReply: int("\(prefix).daysToReply", default: 7, range: 0...3650),
            enableDueDate: bool("\(prefix).enableDueDate", default: true),
            pollingRate: pollingRate,
            oidcURL: url("\(prefix).oidc.url") ?? oidc.url,
            oidcAudience: string("\(prefix).oidc.audience") ?? oidc.audience,
            oidcClientId: string("\(prefix).oidc.clientId") ?? oidc.clientId)
    }
}
