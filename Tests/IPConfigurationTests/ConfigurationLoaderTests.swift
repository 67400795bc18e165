import Foundation
import Testing
@testable import IPConfiguration

@Suite struct PrecedenceTests {
    @Test func minimalFolderLoadsWithDefaults() throws {
        let folder = try minimalFolder()
        let loaded = try folder.load()
        let config = loaded.configuration
        #expect(loaded.profile == .production)
        #expect(loaded.sources == [folder.url.appendingPathComponent("integrasjonspunkt-local.properties").path])
        #expect(config.org.number == "910077473")
        #expect(config.org.keystore.path == folder.url.appendingPathComponent("keystore.p12").path)
        #expect(config.org.keystore.type == .pkcs12)
        #expect(config.server.port == 9093)
        #expect(config.security.enabled)
        #expect(config.nextmove.defaultTtlHours == 24)
        #expect(config.nextmove.ttlPollingRate == .seconds(30))
        #expect(config.nextmove.statusServices == ["DPO", "DPE"])
        #expect(config.nextmove.filedir == "messages")
        #expect(config.nextmove.lockTimeoutMinutes == 5)
        #expect(config.queue == .init(initialDelay: .seconds(20), multiplier: 3, maxDelay: .seconds(3600),
                                      maximumRetryHours: 100, concurrency: 10, backgroundNice: 10))
        #expect(config.webhooks.connectTimeout == .seconds(10))
        #expect(config.ntp == .init(disabled: false, host: "time.google.com"))
        #expect(config.oidc.clientId == "MOVE_IP_910077473")
        #expect(config.dpo.oidcClientId == "MOVE_IP_910077473")
        #expect(config.dpo.pollingRate == .seconds(15))
        #expect(config.dpo.systemUserOrgId == "0192:910077473")
        #expect(config.dpo.systemUserName == "910077473_integrasjonspunkt_systembruker_910077473")
        #expect(config.uploadSizeLimits == PerChannel(dpo: 1 << 30, dpv: 250 << 20, dpi: 50 << 20, dpf: 1 << 30,
                                                     dpe: 2 << 20, dph: 18 << 20))
        #expect(config.uploadSizeLimits["dpv"] == 250 << 20)
        #expect(config.defaultTtlHours["DPO"] == 24)
        #expect(config.logging.fileName == "integrasjonspunkt-logs/application.log")
        #expect(config.logging.stdoutAppender == .console)
        #expect(config.datasource.database
            == .sqlite(path: folder.url.appendingPathComponent("integrasjonspunkt.sqlite").path))
        #expect(config.features.cryptoMessagePersister)
        #expect(config.sign.jwkURL == "https://eformidling.no/adressetjeneste/jwk")
        #expect(loaded.warnings.isEmpty)
    }

    @Test func everyLayerOverridesTheOneBelow() throws {
        let folder = try minimalFolder(extra: "server.port=9001\ndifi.move.nextmove.lockTimeoutMinutes=7\n")
        try folder.write("integrasjonspunkt-local.yaml", """
            server:
              port: 9000
            difi.move.ntp.host: yaml.example
            difi:
              move:
                nextmove:
                  filedir: from-yaml
            """)
        try folder.write("integrasjonspunkt-local.yml", "difi.move.ntp.host: yml.example\n")
        try folder.write("explicit.properties", "server.port=9002\ndifi.move.queue.concurrency=3\n")

        var config = try folder.load(["--config", "explicit.properties"]).configuration
        #expect(config.server.port == 9002)                  // explicit file > local properties > yaml
        #expect(config.nextmove.lockTimeoutMinutes == 7)     // local properties
        #expect(config.nextmove.filedir == "from-yaml")      // yaml only
        #expect(config.ntp.host == "yml.example")            // .yml > .yaml
        #expect(config.queue.concurrency == 3)

        config = try folder.load(["--config=explicit.properties"], environment: ["SERVER_PORT": "9003"]).configuration
        #expect(config.server.port == 9003)                  // environment > files

        let loaded = try folder.load(["--server.port=9004", "--config", "explicit.properties"],
                                     environment: ["SERVER_PORT": "9003"])
        #expect(loaded.configuration.server.port == 9004)    // command line > environment
        #expect(loaded.sources.count == 4)
    }

    @Test func profileDefaultsSitBetweenBuiltInsAndFiles() throws {
        let folder = try minimalFolder()
        #expect(try folder.load().configuration.serviceRegistryEndpoint == "https://eformidling.no/adressetjeneste")
        try folder.write("integrasjonspunkt-local.properties",
                         minimalProperties + "difi.move.serviceregistryEndpoint=https://sr.example/\n")
        #expect(try folder.load().configuration.serviceRegistryEndpoint == "https://sr.example")
    }

    @Test func commandLineLeavesOtherArgumentsForTheCLI() throws {
        let folder = try minimalFolder()
        try folder.write("other.yml", "server:\n  port: 9100\n")
        let loaded = try folder.load([
            "serve", "--verbose", "--config", "other.yml", "--profile", "staging", "-Ddifi.move.ntp.disable=true",
            "--output=x", "--", "--server.port=1",
        ])
        #expect(loaded.remainingArguments == ["serve", "--verbose", "--output=x", "--", "--server.port=1"])
        #expect(loaded.profile == .staging)
        #expect(loaded.configuration.server.port == 9100)
        #expect(loaded.configuration.ntp.disabled)
    }

    @Test func springConfigLocationIsAnExplicitFile() throws {
        let folder = try minimalFolder()
        try folder.write("kosmos/ip.properties", "server.port=9200\n")
        let config = try folder.load(["--spring.config.additional-location=file:kosmos/ip.properties"]).configuration
        #expect(config.server.port == 9200)
    }

    @Test func missingExplicitFileIsAProblem() throws {
        let folder = try minimalFolder()
        let error = try #require(folder.loadError(["--config", "nope.properties"]))
        #expect(error.problems.map(\.key) == ["--config"])
        #expect(error.description.contains("nope.properties"))
    }
}

@Suite struct RelaxedBindingTests {
    @Test(arguments: [
        "difi.move.nextmove.default-ttl-hours", "difi.move.nextmove.defaultTtlHours",
        "difi.move.nextmove.default_ttl_hours", "DIFI.MOVE.NEXTMOVE.DEFAULT-TTL-HOURS",
    ])
    func spellingsInFiles(key: String) throws {
        let folder = try minimalFolder(extra: "\(key)=48\n")
        let config = try folder.load().configuration
        #expect(config.nextmove.defaultTtlHours == 48)
        #expect(config.defaultTtlHours.dpo == 48)  // per-channel defaults follow nextmove's
        #expect(config.raw.string("difi.move.nextmove.defaultTtlHours") == "48")
    }

    @Test(arguments: ["DIFI_MOVE_NEXTMOVE_DEFAULTTTLHOURS", "DIFI_MOVE_NEXTMOVE_DEFAULT_TTL_HOURS"])
    func spellingsInEnvironment(name: String) throws {
        let folder = try minimalFolder()
        let config = try folder.load(environment: [name: "12", "HOME": "/root", "APPDATA": "x"]).configuration
        #expect(config.nextmove.defaultTtlHours == 12)
        #expect(config.raw.entry("difi.move.nextmove.default-ttl-hours")?.source == "environment variable \(name)")
        #expect(config.raw.string("home") == nil)
        #expect(config.raw.string("appdata") == nil)
    }

    @Test func environmentAloneCanConfigureEverything() throws {
        let folder = try TemporaryFolder()
        try folder.write("keystore.p12", "x")
        let config = try folder.load(environment: [
            "DIFI_MOVE_ORG_NUMBER": "910077473",
            "DIFI_MOVE_ORG_KEYSTORE_PATH": "keystore.p12",
            "DIFI_MOVE_ORG_KEYSTORE_ALIAS": "a",
            "DIFI_MOVE_ORG_KEYSTORE_PASSWORD": "p",
            "DIFI_SECURITY_ENABLE": "false",
            "DIFI_SSL_ENABLED": "false",
            "DIFI_MOVE_FEATURE_ENABLEDPO": "true",
            "DIFI_MOVE_DPV_ENDPOINTURL": "https://dpv.example",
            "SPRING_PROFILES_ACTIVE": "staging",
        ]).configuration
        #expect(config.org.number == "910077473")
        #expect(config.features.enableDPO)
        #expect(!config.security.enabled)
        #expect(config.profile == .staging)
        #expect(config.raw.string("difi.move.dpv.endpointUrl") == "https://dpv.example")
    }

    @Test func camelCaseKeysInYaml() throws {
        let folder = try TemporaryFolder()
        try folder.write("keystore.p12", "x")
        try folder.write("integrasjonspunkt-local.yml", """
            difi:
              move:
                org:
                  number: "910077473"
                  keystore: {path: "file:keystore.p12", alias: a, password: p}
                feature:
                  enable-dpo: true
                  statusQueueIncludes: [dpo, DPV]
                nextmove:
                  status_services:
                    - DPO
              security: {enable: false}
              ssl.enabled: false
            """)
        let config = try folder.load().configuration
        #expect(config.features.enableDPO)
        #expect(config.features.statusQueueIncludes == ["DPO", "DPV"])
        #expect(config.nextmove.statusServices == ["DPO"])
    }
}

@Suite struct YAMLTests {
    @Test func flattensMapsAndLists() throws {
        let entries = try YAMLFlattener.flatten("""
            difi:
              move:
                dph:
                  her-ids:
                    - 8143060
                    - 8143061
                reportees:
                  - orgId: "0192:1"
                    name: a
              empty:
              quoted: "yes"
            """)
        let map = Dictionary(entries.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
        #expect(map["difi.move.dph.her-ids[0]"] == "8143060")
        #expect(map["difi.move.dph.her-ids[1]"] == "8143061")
        #expect(map["difi.move.dph.her-ids"] == "8143060,8143061")
        #expect(map["difi.move.reportees[0].orgId"] == "0192:1")
        #expect(map["difi.move.reportees[0].name"] == "a")
        #expect(map["difi.move.reportees"] == nil)
        #expect(map["difi.empty"] == "")
        #expect(map["difi.quoted"] == "yes")
    }

    @Test func severalDocumentsLaterWins() throws {
        let entries = try YAMLFlattener.flatten("server:\n  port: 1\n---\nserver:\n  port: 2\n")
        #expect(entries.map(\.value) == ["1", "2"])
        let folder = try minimalFolder()
        try folder.write("integrasjonspunkt-local.yaml", "server:\n  port: 1\n---\nserver:\n  port: 2\n")
        #expect(try folder.load().configuration.server.port == 2)
    }

    @Test func listsReadFromIndexedOrCommaForm() throws {
        let folder = try minimalFolder(extra: "difi.move.dph.her-ids[0]=1\ndifi.move.dph.her-ids[1]=2\n")
        try folder.write("integrasjonspunkt-local.yaml", "difi.move.dph.her-ids: [7, 8, 9]\n")
        let raw = try folder.load().configuration.raw
        // The properties file's list replaces the YAML list as a whole.
        #expect(raw.list("difi.move.dph.herIds") == ["1", "2"])
        #expect(raw.string("difi.move.dph.her-ids") == "1,2")
    }

    @Test func badYamlIsAProblemNamingTheFile() throws {
        let folder = try minimalFolder()
        try folder.write("integrasjonspunkt-local.yml", "difi:\n  move: [unclosed\n")
        let error = try #require(folder.loadError())
        #expect(error.problems.count == 1)
        #expect(error.problems[0].key.hasSuffix("integrasjonspunkt-local.yml"))
    }
}

@Suite struct PlaceholderTests {
    @Test func resolvesAcrossSourcesWithDefaults() throws {
        let folder = try minimalFolder(extra: """
            difi.move.sign.jwkUrl=${difi.move.serviceregistryEndpoint}/jwk
            difi.move.dpo.messageChannel=${CHANNEL_FROM_ENV}
            difi.move.ntp.host=${my.ntp.host:ntp.example}
            difi.move.dpo.resource=${difi.move.dpo.custom:${difi.move.org.number}-res}

            """)
        let config = try folder.load(environment: [
            "DIFI_MOVE_SERVICEREGISTRYENDPOINT": "https://sr.example", "CHANNEL_FROM_ENV": "kanal-1",
        ]).configuration
        #expect(config.sign.jwkURL == "https://sr.example/jwk")
        #expect(config.dpo.messageChannel == "kanal-1")
        #expect(config.ntp.host == "ntp.example")
        #expect(config.dpo.resource == "910077473-res")
    }

    @Test func unresolvedPlaceholderInAUserValueIsAProblem() throws {
        let folder = try minimalFolder(extra: "difi.move.ntp.host=${nobody.set.this}\n")
        let error = try #require(folder.loadError())
        #expect(error.problems.map(\.key) == ["difi.move.ntp.host"])
        #expect(error.description.contains("${nobody.set.this}"))
    }

    @Test func cyclesDoNotHang() throws {
        let raw = try ConfigurationLoader.load(properties: minimalMap.merging([
            "a.b": "${c.d:x}", "c.d": "${a.b:y}",
        ]) { $1 }).configuration.raw
        #expect(raw.string("a.b") != nil || raw.string("c.d") != nil)
    }
}

@Suite struct ProfileTests {
    @Test func productionIsTheDefault() throws {
        let config = try ConfigurationLoader.load(properties: minimalMap).configuration
        #expect(config.profile == .production)
        #expect(config.features.enableDPE)
        #expect(!config.processes.generateArkivmeldingReceipts)
        #expect(!config.allowSyntheticIdentifiers)
        #expect(config.oidc.url == "https://maskinporten.no/token")
        #expect(config.oidc.audience == "https://maskinporten.no/")
        #expect(config.dpo.brokerserviceURL == "https://platform.altinn.no/broker/api/v1")
        #expect(config.raw.string("difi.move.dpi.certificate.mode") == "PRODUCTION")
    }

    @Test func staging() throws {
        let config = try ConfigurationLoader.load(properties: minimalMap, profile: .staging).configuration
        #expect(config.serviceRegistryEndpoint == "https://test.eformidling.no/adressetjeneste")
        #expect(!config.features.enableDPE)
        #expect(config.allowSyntheticIdentifiers)
        #expect(!config.processes.generateArkivmeldingReceipts)
        #expect(config.oidc.url == "https://test.maskinporten.no/token")
        #expect(config.dpo.brokerserviceURL == "https://platform.tt02.altinn.no/broker/api/v1")
    }

    @Test func devByEnvironmentOrCommandLine() throws {
        let folder = try minimalFolder()
        var loaded = try folder.load(environment: ["SPRING_PROFILES_ACTIVE": "dev"])
        #expect(loaded.profile == .dev)
        #expect(loaded.configuration.serviceRegistryEndpoint == "https://eformidling.dev/adressetjeneste")
        #expect(loaded.configuration.allowSyntheticIdentifiers)
        #expect(loaded.configuration.processes.generateArkivmeldingReceipts)
        loaded = try folder.load(["--spring.profiles.active=staging"], environment: ["SPRING_PROFILES_ACTIVE": "dev"])
        #expect(loaded.profile == .staging)
        loaded = try folder.load(["--profile=dev", "--spring.profiles.active=staging"])
        #expect(loaded.profile == .dev)
    }

    @Test func unknownProfileIsAProblem() throws {
        let folder = try minimalFolder()
        let error = try #require(folder.loadError(["--profile", "prod"]))
        #expect(error.problems.map(\.key) == ["spring.profiles.active"])
    }
}
