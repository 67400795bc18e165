import Foundation
import Testing
@testable import IPConfiguration

/// `difi.move.noarkSystem.*`: the archive system's BEST/EDU service.
@Suite struct NoarkSystemConfigurationTests {
    @Test func notConfiguredByDefault() throws {
        let config = try ConfigurationLoader.load(properties: minimalMap).configuration
        #expect(config.noarkSystem == nil)
        #expect(config.returnOkOnEmptyPayload == false)
    }

    @Test func readsEveryKeyInTheUpstreamSpelling() throws {
        var map = minimalMap
        map["difi.move.noarkSystem.endpointURL"] = "http://archive:8088/SI.WS.Core/Integration/EDUImport.svc/EDUImportService"
        map["difi.move.noarkSystem.type"] = "p360"
        map["difi.move.noarkSystem.username"] = "svc_eformidling"
        map["difi.move.noarkSystem.password"] = "pw"
        map["difi.move.noarkSystem.domain"] = "KOMMUNE"
        map["difi.move.feature.returnOkOnEmptyPayload"] = "true"
        let loaded = try ConfigurationLoader.load(properties: map)
        let system = try #require(loaded.configuration.noarkSystem)
        #expect(system == .init(endpointURL: "http://archive:8088/SI.WS.Core/Integration/EDUImport.svc/EDUImportService",
                                type: .p360, username: "svc_eformidling", password: "pw", domain: "KOMMUNE"))
        #expect(loaded.configuration.returnOkOnEmptyPayload)
        #expect(loaded.warnings.isEmpty, "known keys: \(loaded.warnings)")
        #expect(!loaded.configuration.maskedDump().contains("=pw"))
    }

    @Test func relaxedSpellingsAndEnvironmentVariablesWork() throws {
        let folder = try TemporaryFolder()
        try folder.write("keystore.p12", "")
        try folder.write("integrasjonspunkt-local.properties", minimalProperties)
        let loaded = try folder.load(environment: ["DIFI_MOVE_NOARKSYSTEM_ENDPOINTURL": "https://websak.example/best/service.asmx",
                                                   "DIFI_MOVE_NOARKSYSTEM_TYPE": "WebSak"])
        #expect(loaded.configuration.noarkSystem?.type == .webSak)
        #expect(loaded.configuration.noarkSystem?.endpointURL == "https://websak.example/best/service.asmx")
    }

    @Test func theTypeDefaultsToThePlainNoarkExchangeContract() throws {
        var map = minimalMap
        map["difi.move.noarkSystem.endpointURL"] = "http://127.0.0.1:8080/noarkExchange"
        #expect(try ConfigurationLoader.load(properties: map).configuration.noarkSystem?.type == .noarkExchange)
    }

    @Test func badValuesAreProblemsWithTheirFix() throws {
        var map = minimalMap
        map["difi.move.noarkSystem.endpointURL"] = "archive:8088"
        map["difi.move.noarkSystem.type"] = "Acos"
        #expect {
            try ConfigurationLoader.load(properties: map)
        } throws: { error in
            guard let error = error as? ConfigurationError else { return false }
            let byKey = Dictionary(error.problems.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
            return byKey["difi.move.noarkSystem.endpointURL"]?.problem == "is not an http(s) URL"
                && byKey["difi.move.noarkSystem.type"]?.fix.contains("P360, ePhorte, WebSak or noarkExchange") == true
        }
        map["difi.move.noarkSystem.endpointURL"] = "http://archive/"
        map["difi.move.noarkSystem.type"] = "mail"
        #expect {
            try ConfigurationLoader.load(properties: map)
        } throws: { error in
            (error as? ConfigurationError)?.problems.first?.problem.contains("not delivered by e-mail") == true
        }
    }
}
