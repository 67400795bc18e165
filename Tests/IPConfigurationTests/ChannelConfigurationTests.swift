import Foundation
import IPConfiguration
import Model
import Testing

@Suite("Configuration: DPV and status polling")
struct DPVConfigurationTests {
    @Test("DPV's upstream defaults, the profile URLs, and the new pollingrate")
    func defaults() throws {
        var map = minimalMap
        map["difi.move.feature.enableDPV"] = "true"
        let staging = try ConfigurationLoader.load(properties: map, profile: .staging).configuration
        #expect(staging.features.enableDPV)
        let dpv = staging.dpv
        #expect(dpv.correspondenceServiceURL == "https://test.eformidling.no/altinn-proxy/correspondence/api/v1")
        #expect(dpv.altinnTokenExchangeURL == "https://platform.tt02.altinn.no/authentication/api/v1/exchange/maskinporten")
        #expect(dpv.healthCheckURL == "https://platform.tt02.altinn.no/health-probe")
        #expect(dpv.notifyEmail && dpv.notifySms && dpv.enableDueDate)
        #expect(dpv.daysToReply == 7)
        #expect(dpv.emailSubject == "Melding mottatt i Altinn")
        #expect(dpv.notificationText == "$correspondenceRecipientName$: Du har mottatt en melding fra $reporterName$.")
        #expect(dpv.sensitiveNotificationText.contains("«eformidling-dpv-taushetsbelagt»"))
        #expect(dpv.sensitiveResource == "eformidling-dpv-taushetsbelagt")
        #expect(dpv.pollingRate == nil, "not set: the cron with its back-off")
        #expect(dpv.oidcURL == staging.oidc.url && dpv.oidcClientId == staging.oidc.clientId)
        #expect(staging.uploadSizeLimits.dpv == 250 << 20)

        map["difi.move.dpv.pollingrate"] = "2000"
        map["difi.move.dpv.health-check-url"] = ""
        let tuned = try ConfigurationLoader.load(properties: map, profile: .staging).configuration.dpv
        #expect(tuned.pollingRate == .seconds(2))
        #expect(tuned.healthCheckURL.isEmpty, "empty switches the check off")
    }

    @Test("Production points DPV at Digdir's production proxy and Altinn")
    func productionProfile() throws {
        let dpv = try ConfigurationLoader.load(properties: minimalMap, profile: .production).configuration.dpv
        #expect(dpv.correspondenceServiceURL == "https://eformidling.no/altinn-proxy/correspondence/api/v1")
        #expect(dpv.altinnTokenExchangeURL == "https://platform.altinn.no/authentication/api/v1/exchange/maskinporten")
    }

    @Test("Bad DPV values are named with the fix")
    func badValues() throws {
        var map = minimalMap
        map["difi.move.feature.enableDPV"] = "true"
        map["difi.move.dpv.correspondenceServiceUrl"] = "altinn-proxy"
        map["difi.move.dpv.pollingrate"] = "10"
        let error = try #require(loadError(map))
        let keys = Set(error.problems.map(\.key))
        #expect(keys == ["difi.move.dpv.correspondenceServiceUrl", "difi.move.dpv.pollingrate"], "\(error)")
        #expect(error.description.contains("https://"))
    }

    @Test("statusPollingCron: the upstream default, a faster one, and a bad one named with the fix")
    func statusPollingCron() throws {
        var map = minimalMap
        #expect(try ConfigurationLoader.load(properties: map).configuration.nextmove.statusPollingCron.expression == "0 * * * * *")
        map["difi.move.nextmove.statusPollingCron"] = "*/2 * * * * *"
        let fast = try ConfigurationLoader.load(properties: map).configuration.nextmove
        #expect(fast.statusPollingCron.next(after: Date(timeIntervalSince1970: 1_000_001)) == Date(timeIntervalSince1970: 1_000_002))
        #expect(fast.statusPollingBackoffThresholdDays == 30 && fast.statusPollingBackoffMaxIntervalMinutes == 60)
        map["difi.move.nextmove.statusPollingCron"] = "every minute"
        let error = try #require(loadError(map))
        #expect(error.problems.map(\.key) == ["difi.move.nextmove.statusPollingCron"])
        #expect(error.description.contains("six fields"))
    }

    private func loadError(_ map: [String: String]) -> ConfigurationError? {
        do {
            _ = try ConfigurationLoader.load(properties: map)
            return nil
        } catch {
            return error
        }
    }
}
