import Foundation
import Testing
@testable import IPConfiguration

/// `difi.move.nextmove.serviceBus.*`: DPE over the Azure Service Bus (`internals.md` §6.11).
@Suite struct ServiceBusConfigurationTests {
    static func load(_ extra: [String: String], profile: Profile? = nil) throws -> LoadedConfiguration {
        try ConfigurationLoader.load(properties: minimalMap.merging(extra) { $1 }, profile: profile)
    }

    static func problems(_ extra: [String: String]) -> [ConfigurationProblem] {
        do {
            _ = try ConfigurationLoader.load(properties: minimalMap.merging(extra) { $1 })
            return []
        } catch {
            return error.problems
        }
    }

    @Test func upstreamDefaults() throws {
        let staging = try Self.load([:], profile: .staging).configuration
        #expect(!staging.features.enableDPE)
        let bus = try Self.load(["difi.move.feature.enableDPE": "true"], profile: .staging).configuration.serviceBus
        #expect(bus == .init(sasKeyName: "MoveDPE-pilotPolicy", sasToken: nil, mode: .innsyn,
                             baseURL: "efm-dpe-qa.servicebus.windows.net", useHTTPS: true, pollingRate: .seconds(20),
                             readMaxMessages: 50, batchRead: false, connectTimeout: .seconds(15), receiptQueue: nil))
        let limits = try Self.load([:]).configuration
        #expect(limits.uploadSizeLimits.dpe == 2 << 20)
        #expect(limits.defaultTtlHours.dpe == 24)
    }

    @Test func productionProfileSwitchesDPEOnWithTheProductionNamespaceAndPolicy() throws {
        let configuration = try Self.load([:], profile: .production).configuration
        #expect(configuration.features.enableDPE)
        let bus = configuration.serviceBus
        #expect(bus.baseURL == "efm-dpe-prod.servicebus.windows.net")
        #expect(bus.sasKeyName == "MoveDPE-prodPolicy")
    }

    @Test func readsEveryKeyInTheUpstreamSpelling() throws {
        let loaded = try Self.load([
            "difi.move.feature.enableDPE": "true",
            "difi.move.oidc.enable": "false",
            "difi.move.nextmove.serviceBus.sasKeyName": "MoveDPE-localPolicy",
            "difi.move.nextmove.serviceBus.sasToken": "c2VjcmV0LWtleQ==",
            "difi.move.nextmove.serviceBus.mode": "DATA",
            "difi.move.nextmove.serviceBus.baseUrl": "127.0.0.1:5672",
            "difi.move.nextmove.serviceBus.useHttps": "false",
            "difi.move.nextmove.serviceBus.pollingrate": "5000",
            "difi.move.nextmove.serviceBus.readMaxMessages": "10",
            "difi.move.nextmove.serviceBus.connectTimeout": "3000",
            "difi.move.nextmove.serviceBus.receiptQueue": "kvittering",
            "difi.move.nextmove.serviceBus.upload-size-limit": "1MB",
            "difi.move.nextmove.serviceBus.default-ttl-hours": "6",
        ])
        let configuration = loaded.configuration
        #expect(configuration.serviceBus == .init(sasKeyName: "MoveDPE-localPolicy", sasToken: "c2VjcmV0LWtleQ==", mode: .data,
                                                  baseURL: "127.0.0.1:5672", useHTTPS: false, pollingRate: .seconds(5),
                                                  readMaxMessages: 10, batchRead: false, connectTimeout: .seconds(3),
                                                  receiptQueue: "kvittering"))
        #expect(configuration.uploadSizeLimits.dpe == 1 << 20)
        #expect(configuration.defaultTtlHours.dpe == 6)
        #expect(loaded.warnings.isEmpty, "known keys: \(loaded.warnings)")
        #expect(!configuration.maskedDump().contains("c2VjcmV0LWtleQ=="), "the key is a secret")
    }

    @Test func relaxedSpellingsAndEnvironmentVariablesWork() throws {
        let folder = try minimalFolder(extra: "difi.move.nextmove.service-bus.base-url=sb.example.net\n")
        let loaded = try folder.load(environment: ["DIFI_MOVE_NEXTMOVE_SERVICEBUS_MODE": "meeting",
                                                   "DIFI_MOVE_NEXTMOVE_SERVICEBUS_READMAXMESSAGES": "7"])
        #expect(loaded.configuration.serviceBus.baseURL == "sb.example.net")
        #expect(loaded.configuration.serviceBus.mode == .meeting)
        #expect(loaded.configuration.serviceBus.readMaxMessages == 7)
    }

    @Test func withoutOIDCTheKeyMustBeConfigured() throws {
        let problems = Self.problems(["difi.move.feature.enableDPE": "true", "difi.move.oidc.enable": "false"])
        #expect(problems.map(\.key) == ["difi.move.nextmove.serviceBus.sasToken"])
        #expect(problems[0].fix.contains("difi.move.oidc.enable=true"))
        // The upstream's placeholder is no key either.
        let placeholder = Self.problems(["difi.move.feature.enableDPE": "true", "difi.move.oidc.enable": "false",
                                         "difi.move.nextmove.serviceBus.sasToken": "<token>"])
        #expect(placeholder.map(\.key) == ["difi.move.nextmove.serviceBus.sasToken"])
        // With OIDC the key comes from the registry; DPE switched off needs nothing.
        #expect(Self.problems(["difi.move.feature.enableDPE": "true"]).isEmpty)
        #expect(Self.problems(["difi.move.feature.enableDPE": "false", "difi.move.oidc.enable": "false"]).isEmpty)
        // On only by the production profile's default: a note, not a start-up error.
        let byProfile = try Self.load(["difi.move.oidc.enable": "false"], profile: .production)
        #expect(byProfile.warnings.contains { $0.contains("production profile default") && $0.contains("sasToken") })
    }

    @Test func badValuesAreAllReportedWithKeyValueAndFix() throws {
        let problems = Self.problems([
            "difi.move.feature.enableDPE": "true",
            "difi.move.nextmove.serviceBus.mode": "publisering",
            "difi.move.nextmove.serviceBus.baseUrl": "https://efm-dpe-qa.servicebus.windows.net",
            "difi.move.nextmove.serviceBus.readMaxMessages": "0",
            "difi.move.nextmove.serviceBus.pollingrate": "0",
            "difi.move.nextmove.serviceBus.sasKeyName": " ",
        ])
        #expect(Set(problems.map(\.key)) == [
            "difi.move.nextmove.serviceBus.mode", "difi.move.nextmove.serviceBus.baseUrl",
            "difi.move.nextmove.serviceBus.readMaxMessages", "difi.move.nextmove.serviceBus.pollingrate",
            "difi.move.nextmove.serviceBus.sasKeyName",
        ])
        let mode = try #require(problems.first { $0.key == "difi.move.nextmove.serviceBus.mode" })
        #expect(mode.value == "publisering")
        #expect(mode.fix.contains("innsyn"))
        let host = try #require(problems.first { $0.key == "difi.move.nextmove.serviceBus.baseUrl" })
        #expect(host.fix.contains("useHttps"))
    }

    @Test func batchReadIsAcceptedWithANote() throws {
        let loaded = try Self.load(["difi.move.feature.enableDPE": "true", "difi.move.nextmove.serviceBus.batchRead": "true"])
        #expect(loaded.configuration.serviceBus.batchRead)
        #expect(loaded.warnings.contains { $0.contains("batchRead=true") && $0.contains("REST") })
    }
}
