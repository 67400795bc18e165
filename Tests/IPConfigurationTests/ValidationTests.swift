import Foundation
import Testing
@testable import IPConfiguration

@Suite struct ValidationTests {
    @Test func emptyFolderGivesOneErrorNamingEveryMissingKey() throws {
        let folder = try TemporaryFolder()
        let error = try #require(folder.loadError())
        let keys = error.problems.map(\.key)
        #expect(keys == [
            "difi.move.org.number", "difi.move.org.keystore.path", "difi.move.org.keystore.alias",
            "difi.move.org.keystore.password", "difi.security.user.name", "difi.security.user.password",
            "difi.ssl.key-store",
        ])
        let lines = error.description.split(separator: "\n")
        #expect(lines.first == "The configuration has 7 problems:")
        #expect(lines.count == 8)  // one line per problem, each with its fix
        #expect(error.description.contains("or set difi.security.enable=false"))
        #expect(error.description.contains("or set difi.ssl.enabled=false"))
        for problem in error.problems { #expect(!problem.fix.isEmpty) }
    }

    @Test func securityCanBeSwitchedOffExplicitly() throws {
        var map = minimalMap
        map["difi.security.user.name"] = nil
        map["difi.security.user.password"] = nil
        map["difi.security.enable"] = "false"
        let config = try ConfigurationLoader.load(properties: map).configuration
        #expect(!config.security.enabled)
        map["difi.security.enable"] = nil
        map["difi.move.feature.enable-auth"] = "false"  // the upstream's own switch, also honoured
        #expect(try !ConfigurationLoader.load(properties: map).configuration.security.enabled)
    }

    @Test func badValuesAreAllReportedWithKeyAndValue() throws {
        let folder = try minimalFolder(extra: """
            difi.move.org.number=91007747
            server.port=70000
            difi.move.feature.enableDPO=maybe
            difi.move.nextmove.ttlPollingrate=often
            difi.move.dpo.upload-size-limit=huge
            difi.move.queue.concurrency=ten
            difi.move.org.keystore.type=Windows-MY

            """)
        let error = try #require(folder.loadError())
        let byKey = Dictionary(error.problems.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        #expect(byKey["difi.move.org.number"]?.value == "91007747")
        #expect(byKey["server.port"]?.value == "70000")
        #expect(byKey["difi.move.feature.enableDPO"]?.problem == "is not a boolean")
        #expect(byKey["difi.move.nextmove.ttlPollingrate"]?.problem == "is not a duration")
        #expect(byKey["difi.move.dpo.upload-size-limit"]?.problem == "is not a data size")
        #expect(byKey["difi.move.queue.concurrency"]?.value == "ten")
        #expect(byKey["difi.move.org.keystore.type"]?.value == "Windows-MY")
        #expect(error.problems.count == 7)
    }

    @Test func backgroundNiceIsTenByDefaultAndZeroToNineteen() throws {
        var map = minimalMap
        #expect(try ConfigurationLoader.load(properties: map).configuration.queue.backgroundNice == 10)
        map["difi.move.queue.background-nice"] = "0"
        #expect(try ConfigurationLoader.load(properties: map).configuration.queue.backgroundNice == 0)
        map["difi.move.queue.background-nice"] = "20"
        let error = try #require(loadError(map))
        #expect(error.problems.map(\.key) == ["difi.move.queue.background-nice"])
        #expect(error.problems.first?.value == "20")
    }

    @Test func signingNeedsAResolvableJwkURL() throws {
        var map = minimalMap
        map["difi.move.sign.jwkUrl"] = "${missing.sr}/jwk"
        let error = try #require(loadError(map))
        #expect(error.problems.contains { $0.key == "difi.move.sign.jwkUrl" })
        map["difi.move.sign.enable"] = "false"
        map["difi.move.sign.jwkUrl"] = nil
        #expect(try ConfigurationLoader.load(properties: map).configuration.sign.enabled == false)
    }

    @Test func dpoNeedsAResource() throws {
        var map = minimalMap
        map["difi.move.feature.enableDPO"] = "true"
        map["difi.move.dpo.resource"] = ""
        let error = try #require(loadError(map))
        #expect(error.problems.map(\.key) == ["difi.move.dpo.resource"])
    }

    @Test func pemKeystoreNeedsCertificateButNoAlias() throws {
        var map = minimalMap
        map["difi.move.org.keystore.type"] = "pem"
        map["difi.move.org.keystore.alias"] = nil
        map["difi.move.org.keystore.password"] = nil
        var error = try #require(loadError(map))
        #expect(error.problems.map(\.key) == ["difi.move.org.keystore.certificate"])
        map["difi.move.org.keystore.certificate"] = "file:/etc/chain.pem"
        let keystore = try ConfigurationLoader.load(properties: map).configuration.org.keystore
        #expect(keystore.type == .pem)
        #expect(keystore.certificatePath == "/etc/chain.pem")
        #expect(keystore.alias == nil)
        map["difi.move.org.keystore.type"] = "JKS"
        error = try #require(loadError(map))
        #expect(error.problems.map(\.key) == ["difi.move.org.keystore.alias", "difi.move.org.keystore.password"])
    }

    @Test func keystoreFileMustExistWhenLoadedFromFiles() throws {
        let folder = try minimalFolder()
        try FileManager.default.removeItem(at: folder.url.appendingPathComponent("keystore.p12"))
        let error = try #require(folder.loadError())
        #expect(error.problems.map(\.key) == ["difi.move.org.keystore.path"])
        #expect(error.problems[0].problem.contains("does not exist"))
    }

    @Test func vaultAndClasspathKeystoresAreExplained() throws {
        var map = minimalMap
        map["difi.move.org.keystore.path"] = "vault:ip-keystore"
        let error = try #require(loadError(map))
        #expect(error.problems.map(\.key) == ["difi.move.org.keystore.path"])
        #expect(error.problems[0].problem.contains("Vault"))
    }

    @Test func activeMQKeysAreNotedAndIgnored() throws {
        let folder = try minimalFolder(extra: "difi.activemq.broker-url=vm://localhost\ndifi.activemq.password=pw\n")
        let loaded = try folder.load()
        #expect(loaded.warnings.count == 1)
        #expect(loaded.warnings[0].contains("accepted and ignored: the outbox lives in the database"))
    }

    @Test func typoGetsDidYouMean() throws {
        let folder = try minimalFolder(extra: "difi.move.feature.enableDPOO=true\ndifi.move.nextmove.defualt-ttl-hours=5\n")
        let loaded = try folder.load()
        #expect(loaded.warnings.contains { $0.contains("did you mean difi.move.feature.enableDPO?") })
        #expect(loaded.warnings.contains { $0.contains("did you mean difi.move.nextmove.default-ttl-hours?") })
        #expect(!loaded.configuration.features.enableDPO)
    }

    @Test func unknownButFarKeysAndOpenMapsAreQuiet() throws {
        let loaded = try ConfigurationLoader.load(properties: minimalMap.merging([
            "difi.move.fiks.inn.paaVegneAv.910077473.username": "u",
            "difi.move.something.completely.new": "x",
        ]) { $1 })
        #expect(loaded.warnings.isEmpty)
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

@Suite struct SecretTests {
    @Test func secretsAreMaskedInErrors() throws {
        let folder = try minimalFolder(extra: """
            difi.ssl.key-store-password=hunter2${nope}
            difi.move.fiks.ut.password=${also.nope}-topsecret

            """)
        let error = try #require(folder.loadError())
        #expect(error.problems.count == 2)
        #expect(!error.description.contains("hunter2"))
        #expect(!error.description.contains("topsecret"))
        #expect(error.description.contains("difi.ssl.key-store-password=******"))
    }

    @Test func maskedDumpListsEveryKeyWithSecretsMasked() throws {
        let folder = try minimalFolder(extra: "difi.move.nextmove.serviceBus.sasToken=tok123\nvault.token=v\n")
        let dump = try folder.load().configuration.maskedDump()
        #expect(dump.contains("difi.move.org.number=910077473"))
        #expect(dump.contains("difi.move.org.keystore.password=******"))
        #expect(dump.contains("difi.security.user.password=******"))
        #expect(dump.contains("difi.move.nextmove.serviceBus.sasToken=******"))
        #expect(dump.contains("difi.move.dpo.altinnTokenExchangeUrl=https://platform.altinn.no/"))
        #expect(dump.contains("server.port=9093"))
        for secret in ["changeit", "s3cret-pw", "tok123"] { #expect(!dump.contains(secret)) }
    }

    @Test(arguments: [
        ("difi.move.org.keystore.password", true), ("difi.ssl.key-store-password", true),
        ("difi.move.fiks.ut.rest.integrasjon-passord", true), ("app.clientSecret", true), ("vault.token", true),
        ("difi.move.dpo.altinnTokenExchangeUrl", false), ("difi.move.org.number", false),
    ])
    func secretKeys(key: String, secret: Bool) {
        #expect(Secrets.isSecret(key) == secret)
    }
}

@Suite struct DatasourceTests {
    private func database(_ url: String?, workingDirectory: URL = URL(fileURLWithPath: "/srv/ip"))
        throws -> (IntegrasjonspunktConfiguration.Database, [String])
    {
        var map = minimalMap
        map["difi.datasource.url"] = url
        let loaded = try ConfigurationLoader.load(properties: map, workingDirectory: workingDirectory)
        return (loaded.configuration.datasource.database, loaded.warnings)
    }

    @Test func urls() throws {
        #expect(try database(nil).0 == .sqlite(path: "/srv/ip/integrasjonspunkt.sqlite"))
        #expect(try database("jdbc:sqlite:data/ip.db").0 == .sqlite(path: "/srv/ip/data/ip.db"))
        #expect(try database("sqlite:/var/ip.db").0 == .sqlite(path: "/var/ip.db"))
        #expect(try database("jdbc:postgresql://db:5432/ip?ssl=true").0 == .postgreSQL(url: "postgresql://db:5432/ip?ssl=true"))
        #expect(try database("postgresql://db/ip").0 == .postgreSQL(url: "postgresql://db/ip"))
        let (h2, warnings) = try database("jdbc:h2:file:./integrasjonspunkt;AUTO_SERVER=TRUE")
        #expect(h2 == .sqlite(path: "/srv/ip/integrasjonspunkt.sqlite"))
        #expect(warnings.count == 1 && warnings[0].contains("H2"))
    }

    @Test func unsupportedURLIsAProblem() throws {
        var map = minimalMap
        map["spring.datasource.url"] = "jdbc:mysql://db/ip"
        #expect(throws: ConfigurationError.self) { try ConfigurationLoader.load(properties: map) }
    }
}

@Suite struct KnownKeyTests {
    @Test func noTwoKnownKeysShareAnEnvironmentName() {
        #expect(BuiltInDefaults.knownBySquashedName.count == BuiltInDefaults.knownCanonicalKeys.count)
    }

    @Test func everyProfileKeyIsAKnownKey() {
        let base = Set(BuiltInDefaults.base.map { RelaxedKey.canonical($0.0) })
        for profile in Profile.allCases {
            for (key, _) in BuiltInDefaults.profile(profile) {
                #expect(base.contains(RelaxedKey.canonical(key)), "\(key) in \(profile) has no base default")
            }
        }
    }
}

@Suite struct PasswordTests {
    @Test func escapedSpacesInPasswordsAreKept() throws {
        let folder = try minimalFolder(extra: "difi.move.org.keystore.password=\\ pass word\\ \n")
        let config = try folder.load().configuration
        #expect(config.org.keystore.password == " pass word ")
    }
}
