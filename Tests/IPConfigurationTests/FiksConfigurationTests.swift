import Foundation
import Testing
@testable import IPConfiguration

/// `difi.move.fiks.*`: DPF over KS SvarUt and SvarInn.
@Suite struct FiksConfigurationTests {
    static func dpf(_ extra: [String: String]) -> [String: String] {
        var map = minimalMap
        map["difi.move.feature.enableDPF"] = "true"
        for (key, value) in extra { map[key] = value }
        return map
    }

    static let svarUt = ["difi.move.fiks.ut.username": "avsender", "difi.move.fiks.ut.password": "ut-pw",
                         "difi.move.fiks.inn.username": "mottak", "difi.move.fiks.inn.password": "inn-pw"]

    @Test func upstreamDefaults() throws {
        let config = try ConfigurationLoader.load(properties: Self.dpf(Self.svarUt)).configuration
        let fiks = config.fiks
        #expect(fiks.kryptert && fiks.keystore == nil)
        #expect(fiks.pollingRate == .seconds(900))
        #expect(fiks.inn.enabled)
        #expect(fiks.inn.baseURL == "https://svarut.ks.no/tjenester/svarinn")  // production profile
        #expect(fiks.inn.credentials == .init(username: "mottak", password: "inn-pw"))
        #expect(fiks.inn.process == "urn:no:difi:profile:arkivmelding:administrasjon:ver1.0")
        #expect(fiks.inn.documentType == "urn:no:difi:arkivmelding:xsd::arkivmelding")
        #expect(fiks.inn.connectTimeout == .seconds(10) && fiks.inn.readTimeout == .seconds(30))
        #expect(fiks.inn.organisationNumber == "910077473" && fiks.inn.fallbackSenderOrganisationNumber == "999999999")
        #expect(fiks.ut.type == .ws)
        #expect(fiks.ut.endpointURL == "https://svarut.ks.no")
        #expect(fiks.ut.wsEndpointURL == "https://svarut.ks.no/tjenester/forsendelseservice/ForsendelsesServiceV9")
        #expect(!fiks.ut.kunDigitalLevering && fiks.ut.konteringskode == nil && fiks.ut.ekskluderesFraPrint.isEmpty)
        #expect(fiks.ut.rest.endpointURL == "https://svarut.ks.no" && fiks.ut.rest.idleTimeout == .seconds(960))
        #expect(fiks.ut.rest.maskinportenScopes == ["ks:fiks"])
        #expect(fiks.ut.rest.maskinportenClientId == "MOVE_IP_910077473")
        #expect(config.uploadSizeLimits.dpf == 1 << 30 && config.defaultTtlHours.dpf == 24)
    }

    @Test func everyKeyIsRead() throws {
        let loaded = try ConfigurationLoader.load(properties: Self.dpf([
            "spring.profiles.active": "staging",
            "difi.move.fiks.kryptert": "false",
            "difi.move.fiks.pollingrate": "15000",
            "difi.move.fiks.keystore.path": "/etc/fiks.p12",
            "difi.move.fiks.keystore.alias": "fiks",
            "difi.move.fiks.keystore.password": "fiks-pw",
            "difi.move.fiks.inn.enable": "true",
            "difi.move.fiks.inn.baseUrl": "http://127.0.0.1:9000/tjenester/svarinn",
            "difi.move.fiks.inn.username": "mottak", "difi.move.fiks.inn.password": "inn-pw",
            "difi.move.fiks.inn.paa-vegne-av.910000001.username": "mottak-b",
            "difi.move.fiks.inn.paaVegneAv.910000001.password": "inn-b",
            "difi.move.fiks.inn.process": "urn:no:difi:profile:arkivmelding:planByggOgGeodata:ver1.0",
            "difi.move.fiks.inn.documentType": "urn:no:difi:arkivmelding:xsd::arkivmelding",
            "difi.move.fiks.inn.connectTimeout": "2000", "difi.move.fiks.inn.readTimeout": "4000",
            "difi.move.fiks.inn.orgnr": "910077473",
            "difi.move.fiks.inn.fallbackSenderOrgNr": "888888888",
            "difi.move.fiks.ut.type": "rest",
            "difi.move.fiks.ut.endpointUrl": "http://127.0.0.1:9001",
            "difi.move.fiks.ut.username": "avsender", "difi.move.fiks.ut.password": "ut-pw",
            "difi.move.fiks.ut.paaVegneAv.910000001.username": "avsender-b",
            "difi.move.fiks.ut.paaVegneAv.910000001.password": "ut-b",
            "difi.move.fiks.ut.kunDigitalLevering": "true",
            "difi.move.fiks.ut.upload-size-limit": "200MB",
            "difi.move.fiks.ut.konteringsKode": "K-1",
            "difi.move.fiks.ut.ekskluderesFraPrint": "docx,.XLSX",
            "difi.move.fiks.ut.rest.kontoid": "6B2F2C55-7A0A-4B8E-9D3F-1C2B3A4D5E6F",
            "difi.move.fiks.ut.rest.integrasjon-id": "0e5b9c1a-2f3d-4e5f-8a9b-0c1d2e3f4a5b",
            "difi.move.fiks.ut.rest.integrasjon-passord": "integrasjon-pw",
            "difi.move.fiks.ut.rest.idleTimeout": "10m",
            "difi.move.fiks.ut.rest.maskinporten.clientId": "svarut-client",
            "difi.move.fiks.ut.rest.maskinporten.token-uri": "http://127.0.0.1:9002/token",
            "difi.move.fiks.ut.rest.maskinporten.audience": "http://127.0.0.1:9002/",
            "difi.move.fiks.ut.default-ttl-hours": "48",
        ]))
        let config = loaded.configuration
        let fiks = config.fiks
        #expect(!fiks.kryptert && fiks.pollingRate == .seconds(15))
        #expect(fiks.keystore?.path == "/etc/fiks.p12" && fiks.keystore?.alias == "fiks" && fiks.keystore?.password == "fiks-pw")
        #expect(fiks.inn.baseURL == "http://127.0.0.1:9000/tjenester/svarinn")
        #expect(fiks.inn.onBehalfOf == ["910000001": .init(username: "mottak-b", password: "inn-b")])
        #expect(fiks.inn.process == "urn:no:difi:profile:arkivmelding:planByggOgGeodata:ver1.0")
        #expect(fiks.inn.connectTimeout == .seconds(2) && fiks.inn.readTimeout == .seconds(4))
        #expect(fiks.inn.fallbackSenderOrganisationNumber == "888888888")
        #expect(fiks.ut.type == .rest && fiks.ut.endpointURL == "http://127.0.0.1:9001")
        #expect(fiks.ut.wsEndpointURL == "http://127.0.0.1:9001/tjenester/forsendelseservice/ForsendelsesServiceV9")
        #expect(fiks.ut.onBehalfOf == ["910000001": .init(username: "avsender-b", password: "ut-b")])
        #expect(fiks.ut.kunDigitalLevering && fiks.ut.konteringskode == "K-1" && fiks.ut.ekskluderesFraPrint == ["docx", "xlsx"])
        #expect(fiks.ut.rest.endpointURL == "http://127.0.0.1:9001")
        #expect(fiks.ut.rest.kontoId == "6b2f2c55-7a0a-4b8e-9d3f-1c2b3a4d5e6f")
        #expect(fiks.ut.rest.integrasjonId == "0e5b9c1a-2f3d-4e5f-8a9b-0c1d2e3f4a5b")
        #expect(fiks.ut.rest.integrasjonPassord == "integrasjon-pw" && fiks.ut.rest.idleTimeout == .seconds(600))
        #expect(fiks.ut.rest.maskinportenClientId == "svarut-client")
        #expect(fiks.ut.rest.maskinportenTokenURL == "http://127.0.0.1:9002/token")
        #expect(fiks.ut.rest.maskinportenAudience == "http://127.0.0.1:9002/")
        #expect(config.uploadSizeLimits.dpf == 200 << 20 && config.defaultTtlHours.dpf == 48)
        #expect(loaded.warnings.isEmpty, "known keys: \(loaded.warnings)")
        let dump = config.maskedDump()
        for secret in ["inn-pw", "ut-pw", "inn-b", "ut-b", "integrasjon-pw", "fiks-pw"] { #expect(!dump.contains("=\(secret)")) }
    }

    @Test func theDevProfilePollsSvarInnEvery15Seconds() throws {
        let config = try ConfigurationLoader.load(properties: Self.dpf(Self.svarUt.merging(["spring.profiles.active": "dev"]) { $1 }))
            .configuration
        #expect(config.fiks.pollingRate == .seconds(15))
        #expect(config.fiks.inn.baseURL == "https://test.svarut.ks.no/tjenester/svarinn")
    }

    @Test func svarInnFollowsEnableDPFAndCanBeSwitchedOff() throws {
        let off = try ConfigurationLoader.load(properties: minimalMap).configuration
        #expect(!off.fiks.inn.enabled)
        let sendOnly = try ConfigurationLoader.load(properties: Self.dpf([
            "difi.move.fiks.ut.username": "avsender", "difi.move.fiks.ut.password": "ut-pw", "difi.move.fiks.inn.enable": "false",
        ])).configuration
        #expect(!sendOnly.fiks.inn.enabled)
    }

    @Test func restWithoutItsAccountIsRefusedNamingEveryKey() throws {
        let error = try #require(configurationError(Self.dpf([
            "difi.move.fiks.ut.type": "rest", "difi.move.fiks.inn.enable": "false",
        ])))
        let keys = error.problems.map(\.key)
        #expect(keys.contains("difi.move.fiks.ut.rest.kontoid"))
        #expect(keys.contains("difi.move.fiks.ut.rest.integrasjon-id"))
        #expect(keys.contains("difi.move.fiks.ut.rest.integrasjon-passord"))
        #expect(error.problems.allSatisfy { $0.fix.contains("difi.move.fiks.ut.type=ws") })
    }

    @Test func missingLoginsAndBadValuesAreNamedWithTheirFix() throws {
        let error = try #require(configurationError(Self.dpf([
            "difi.move.fiks.ut.type": "soap",
            "difi.move.fiks.ut.rest.kontoid": "konto-1",
            "difi.move.fiks.inn.paaVegneAv.910000001.username": "mottak-b",
            "difi.move.fiks.inn.paaVegneAv.12345.password": "x",
            "difi.move.fiks.keystore.path": "/etc/fiks.p12",
        ])))
        let problems = Dictionary(error.problems.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        #expect(problems["difi.move.fiks.ut.type"]?.fix.contains("ws") == true)
        #expect(problems["difi.move.fiks.ut.rest.kontoid"]?.problem == "is not a UUID")
        #expect(problems["difi.move.fiks.ut.username"]?.fix.contains("difi.move.fiks.ut.password") == true)
        #expect(problems["difi.move.fiks.inn.paaVegneAv.910000001.password"] != nil)
        #expect(problems["difi.move.fiks.inn.paaVegneAv.12345"] != nil)
        #expect(problems["difi.move.fiks.keystore.alias"] != nil && problems["difi.move.fiks.keystore.password"] != nil)
        #expect(problems["difi.move.fiks.inn.username"] != nil)  // a half-configured paaVegneAv login does not count
    }

    @Test func withoutDPFNothingIsRequired() throws {
        let config = try ConfigurationLoader.load(properties: minimalMap.merging([
            "difi.move.fiks.ut.type": "rest", "difi.move.fiks.ut.rest.kontoid": "not-a-uuid", "difi.move.fiks.ut.username": "half",
        ]) { $1 }).configuration
        #expect(config.fiks.ut.type == .rest)
    }

    private func configurationError(_ map: [String: String]) -> ConfigurationError? {
        do {
            _ = try ConfigurationLoader.load(properties: map)
            return nil
        } catch {
            return error
        }
    }
}
