import Foundation

/// Reads ``ConfigurationValues`` into ``IntegrasjonspunktConfiguration``, collecting every problem instead of
/// stopping at the first.
struct ConfigurationBinder {
    let raw: ConfigurationValues
    let profile: Profile
    let workingDirectory: URL
    /// Whether files named by the configuration (keystores) must exist.
    let checkFiles: Bool
    var problems: [ConfigurationProblem] = []
    var warnings: [String] = []

    init(raw: ConfigurationValues, profile: Profile, workingDirectory: URL, checkFiles: Bool) {
        self.raw = raw
        self.profile = profile
        self.workingDirectory = workingDirectory
        self.checkFiles = checkFiles
    }

    // MARK: Whole configuration

    mutating func bind() -> IntegrasjonspunktConfiguration {
        let orgNumber = bindOrgNumber()
        let keystore = bindKeystore()
        let port = int("server.port", default: 9093, range: 0...65535,
                       fix: "Use a TCP port between 1 and 65535 (0 picks a free one).")
        let security = bindSecurity()
        let ssl = bindSSL()
        let serviceRegistry = url("difi.move.serviceregistryEndpoint") ?? ""
        let sign = bindSign()
        let features = bindFeatures()
        let nextmove = bindNextMove()
        let ttl = bindTimeToLive(default: nextmove.defaultTtlHours)
        let limits = bindUploadSizeLimits()
        let queue = bindQueue()
        let webhooks = bindWebhooks()
        let datasource = bindDatasource()
        let processes = bindProcesses()
        let ntp = bindNTP()
        let oidc = bindOIDC()
        let dpo = bindDPO(enabled: features.enableDPO, orgNumberKnown: orgNumber != nil, oidc: oidc,
                          uploadSizeLimit: limits.dpo)
        let dpv = bindDPV(enabled: features.enableDPV, oidc: oidc)
        let serviceBus = bindServiceBus(enabled: features.enableDPE, oidc: oidc)
        let fiks = bindFiks(enabled: features.enableDPF, orgNumber: orgNumber, oidc: oidc)
        let logging = bindLogging()
        let noarkSystem = bindNoarkSystem()
        checkPlaceholders()
        noteIgnoredAndMisspelledKeys()

        var configuration = IntegrasjonspunktConfiguration(
            profile: profile,
            org: .init(number: orgNumber ?? "", keystore: keystore),
            server: .init(port: port, address: string("server.address") ?? "0.0.0.0"),
            security: security,
            ssl: ssl,
            serviceRegistryEndpoint: serviceRegistry.hasSuffix("/") ? String(serviceRegistry.dropLast()) : serviceRegistry,
            sign: sign,
            allowSyntheticIdentifiers: bool("difi.move.identifier.synthetic.allow", default: false),
            features: features,
            nextmove: nextmove,
            defaultTtlHours: ttl,
            uploadSizeLimits: limits,
            queue: queue,
            webhooks: webhooks,
            datasource: datasource,
            processes: processes,
            ntp: ntp,
            oidc: oidc,
            dpo: dpo,
            dpv: dpv,
            logging: logging,
            raw: raw)
        configuration.noarkSystem = noarkSystem
        configuration.serviceBus = serviceBus
        configuration.fiks = fiks
        configuration.dpi = bindDPI(enabled: features.enableDPI, organisationKeystore: keystore, oidc: oidc)
        configuration.returnOkOnEmptyPayload = bool("difi.move.feature.returnOkOnEmptyPayload", default: false)
        return configuration
    }

    // MARK: Sections

    private mutating func bindTimeToLive(default hours: Int) -> PerChannel<Int> {
        PerChannel(
            dpo: int("difi.move.dpo.default-ttl-hours", default: hours, range: 1...Int.max),
            dpv: int("difi.move.dpv.default-ttl-hours", default: hours, range: 1...Int.max),
            dpi: int("difi.move.dpi.default-ttl-hours", default: hours, range: 1...Int.max),
            dpf: int("difi.move.fiks.ut.default-ttl-hours", default: hours, range: 1...Int.max),
            dpe: int("difi.move.nextmove.serviceBus.default-ttl-hours", default: hours, range: 1...Int.max),
            dph: int("difi.move.dph.default-ttl-hours", default: hours, range: 1...Int.max))
    }

    private mutating func bindUploadSizeLimits() -> PerChannel<Int64> {
        PerChannel(
            dpo: dataSize("difi.move.dpo.upload-size-limit", default: 1 << 30),
            dpv: dataSize("difi.move.dpv.upload-size-limit", default: 250 << 20),
            dpi: dataSize("difi.move.dpi.upload-size-limit", default: 50 << 20),
            dpf: dataSize("difi.move.fiks.ut.upload-size-limit", default: 1 << 30),
            dpe: dataSize("difi.move.nextmove.serviceBus.upload-size-limit", default: 2 << 20),
            dph: dataSize("difi.move.dph.upload-size-limit", default: 18 << 20))
    }

    private mutating func bindQueue() -> IntegrasjonspunktConfiguration.Queue {
        IntegrasjonspunktConfiguration.Queue(
            initialDelay: duration("difi.move.queue.retry.initial-delay", default: .seconds(20)),
            multiplier: double("difi.move.queue.retry.multiplier", default: 3, minimum: 1),
            maxDelay: duration("difi.move.queue.retry.max-delay", default: .seconds(3600)),
            maximumRetryHours: int("difi.move.queue.maximum-retry-hours", default: 100, range: 0...Int.max),
            concurrency: int("difi.move.queue.concurrency", default: 10, range: 1...1000),
            backgroundNice: int("difi.move.queue.background-nice", default: 10, range: 0...19))
    }

    private mutating func bindWebhooks() -> IntegrasjonspunktConfiguration.Webhooks {
        IntegrasjonspunktConfiguration.Webhooks(
            connectTimeout: duration("difi.move.webhooks.connectTimeout", default: .seconds(10)),
            readTimeout: duration("difi.move.webhooks.readTimeout", default: .seconds(10)))
    }

    private mutating func bindNTP() -> IntegrasjonspunktConfiguration.NTP {
        IntegrasjonspunktConfiguration.NTP(
            disabled: bool("difi.move.ntp.disable", default: false),
            host: string("difi.move.ntp.host") ?? "time.google.com")
    }

    private mutating func bindOIDC() -> IntegrasjonspunktConfiguration.OIDC {
        IntegrasjonspunktConfiguration.OIDC(
            enabled: bool("difi.move.oidc.enable", default: true),
            url: url("difi.move.oidc.url") ?? "",
            audience: string("difi.move.oidc.audience") ?? "",
            clientId: string("difi.move.oidc.clientId") ?? "",
            connectTimeout: duration("difi.move.oidc.connectTimeout", default: .seconds(5)),
            readTimeout: duration("difi.move.oidc.readTimeout", default: .seconds(30)))
    }

    private mutating func bindOrgNumber() -> String? {
        let key = "difi.move.org.number"
        guard let number = string(key) else {
            problem(key, nil, "is missing",
                    "Set difi.move.org.number to your organisation's 9-digit number (environment: DIFI_MOVE_ORG_NUMBER).")
            return nil
        }
        guard number.count == 9, number.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            problem(key, number, "is not a 9-digit organisation number",
                    "Write the organisation number as 9 digits without spaces, e.g. 910077473.")
            return nil
        }
        return number
    }

    private mutating func bindKeystore() -> IntegrasjonspunktConfiguration.Keystore {
        let prefix = "difi.move.org.keystore"
        var type = IntegrasjonspunktConfiguration.Keystore.StoreType.pkcs12
        if let text = string("\(prefix).type") {
            if let parsed = IntegrasjonspunktConfiguration.Keystore.StoreType(rawValue: text.uppercased()) {
                type = parsed
            } else {
                problem("\(prefix).type", text, "is not a supported keystore type",
                        "Use PKCS12 (default), JKS or PEM; Windows certificate stores are not supported, export the certificate to a .p12 file.")
            }
        }
        let path = file("\(prefix).path", required: true,
                        fix: type == .pem
                            ? "Set difi.move.org.keystore.path to the PEM file with your virksomhetssertifikat's private key."
                            : "Set difi.move.org.keystore.path to your virksomhetssertifikat keystore file, e.g. file:/etc/integrasjonspunkt/keystore.p12.")
        let alias = string("\(prefix).alias")
        if alias == nil && type != .pem {
            problem("\(prefix).alias", nil, "is missing",
                    "Set difi.move.org.keystore.alias to the alias of the certificate entry in the keystore (case-sensitive).")
        }
        let password = secret("\(prefix).password")
        if password == nil && type != .pem {
            problem("\(prefix).password", nil, "is missing",
                    "Set difi.move.org.keystore.password to the keystore's password.")
        }
        var certificate: String?
        if type == .pem {
            certificate = file("\(prefix).certificate", required: true,
                               fix: "Set difi.move.org.keystore.certificate to the PEM file with the certificate chain (keystore type PEM).")
        }
        return .init(path: path ?? "", alias: alias, password: password, type: type, certificatePath: certificate)
    }

    private mutating func bindSecurity() -> IntegrasjonspunktConfiguration.Security {
        // Upstream reads difi.move.feature.enable-auth, which defaults to ${difi.security.enable:true}.
        let enabled = bool(userSet("difi.move.feature.enable-auth") ? "difi.move.feature.enable-auth"
                                                                     : "difi.security.enable", default: true)
        let name = firstString("difi.security.user.name", "spring.security.user.name")
        let password = secret("difi.security.user.password") ?? secret("spring.security.user.password")
        if enabled {
            let fix = "Set difi.security.user.name and difi.security.user.password for the API's login, "
                + "or set difi.security.enable=false to run the API without authentication."
            if name == nil {
                problem("difi.security.user.name", nil, "is missing while difi.security.enable=true (the default)", fix)
            }
            if password == nil {
                problem("difi.security.user.password", nil, "is missing while difi.security.enable=true (the default)", fix)
            }
        }
        return .init(enabled: enabled, userName: name, userPassword: password)
    }

    private mutating func bindSSL() -> IntegrasjonspunktConfiguration.SSL {
        let enabledKey = userSet("server.ssl.enabled") ? "server.ssl.enabled" : "difi.ssl.enabled"
        let enabled = bool(enabledKey, default: true)
        let keyStoreKey = userSet("server.ssl.key-store") ? "server.ssl.key-store" : "difi.ssl.key-store"
        var keyStore: String?
        if enabled && string(keyStoreKey) == nil {
            problem(keyStoreKey, nil, "is missing while difi.ssl.enabled=true (the default since upstream v4)",
                    "Set difi.ssl.key-store (with difi.ssl.key-store-password and difi.ssl.key-alias) for HTTPS on the API, or set difi.ssl.enabled=false to serve plain HTTP.")
        } else if enabled {
            keyStore = file(keyStoreKey, required: true, fix: "")
        } else {
            keyStore = string(keyStoreKey).map { absolute(stripFilePrefix($0)) }
        }
        return .init(
            enabled: enabled,
            keyStore: keyStore,
            keyStoreType: (firstString("server.ssl.key-store-type", "difi.ssl.key-store-type") ?? "JKS").uppercased(),
            keyStorePassword: secret("server.ssl.key-store-password") ?? secret("difi.ssl.key-store-password"),
            keyAlias: firstString("server.ssl.key-alias", "difi.ssl.key-alias"))
    }

    private mutating func bindSign() -> IntegrasjonspunktConfiguration.Sign {
        let enabled = bool("difi.move.sign.enable", default: true)
        var jwk = string("difi.move.sign.jwkUrl")
        if enabled {
            if let value = jwk, !isHTTPURL(value) {
                problem("difi.move.sign.jwkUrl", value, "is not an http(s) URL",
                        "Set difi.move.sign.jwkUrl to the service registry's JWK URL (default ${difi.move.serviceregistryEndpoint}/jwk), or set difi.move.sign.enable=false.")
                jwk = nil
            } else if jwk == nil {
                problem("difi.move.sign.jwkUrl", raw.entry("difi.move.sign.jwkUrl")?.rawValue,
                        "cannot be resolved while difi.move.sign.enable=true",
                        "Set difi.move.sign.jwkUrl (or difi.move.serviceregistryEndpoint), or set difi.move.sign.enable=false.")
            }
        }
        return .init(enabled: enabled, jwkURL: jwk)
    }

    private mutating func bindFeatures() -> IntegrasjonspunktConfiguration.Features {
        let prefix = "difi.move.feature"
        return .init(
            enableDPO: bool("\(prefix).enableDPO", default: false),
            enableDPV: bool("\(prefix).enableDPV", default: false),
            enableDPI: bool("\(prefix).enableDPI", default: false),
            enableDPF: bool("\(prefix).enableDPF", default: false),
            enableDPE: bool("\(prefix).enableDPE", default: false),
            enableDPH: bool("\(prefix).enableDPH", default: false),
            enableReceipts: bool("\(prefix).enableReceipts", default: true),
            cryptoMessagePersister: bool("\(prefix).cryptoMessagePersister", default: true),
            enableBetaFeatures: bool("\(prefix).enableBetaFeatures", default: false),
            mailErrorStatus: bool("\(prefix).mailErrorStatus", default: false),
            statusQueueIncludes: Set((raw.list("\(prefix).statusQueueIncludes") ?? []).map { $0.uppercased() }),
            allowDeprecatedTrailingSlash: bool("\(prefix).allowDeprecatedTrailingSlash", default: false))
    }

    private mutating func bindNextMove() -> IntegrasjonspunktConfiguration.NextMove {
        let prefix = "difi.move.nextmove"
        return .init(
            defaultTtlHours: int("\(prefix).default-ttl-hours", default: 24, range: 1...Int.max),
            useDbPersistence: bool("\(prefix).use-db-persistence", default: false),
            filedir: string("\(prefix).filedir") ?? "messages",
            lockTimeoutMinutes: int("\(prefix).lockTimeoutMinutes", default: 5, range: 1...Int.max),
            statusServices: (raw.list("\(prefix).status-services") ?? ["DPO", "DPE"]).map { $0.uppercased() },
            ttlPollingRate: duration("\(prefix).ttlPollingrate", default: .seconds(30)),
            statusDocumentType: string("\(prefix).status-document-type") ?? "urn:no:difi:eformidling:xsd::status",
            statusPollingPageSize: int("\(prefix).statusPollingPageSize", default: 2000, range: 1...Int.max),
            statusPollingCron: cron("\(prefix).statusPollingCron", default: "0 * * * * *"),
            statusPollingBackoffThresholdDays: int("\(prefix).statusPollingBackoffThresholdDays", default: 30,
                                                   range: 1...Int.max),
            statusPollingBackoffMaxIntervalMinutes: int("\(prefix).statusPollingBackoffMaxIntervalMinutes",
                                                        default: 60, range: 1...Int.max),
            statusRetentionDays: int("\(prefix).status-retention-days", default: 180, range: 1...Int.max))
    }

    private mutating func bindDatasource() -> IntegrasjonspunktConfiguration.Datasource {
        let urlKey = userSet("spring.datasource.url") ? "spring.datasource.url" : "difi.datasource.url"
        let configured = string(urlKey)
        let username = firstString("spring.datasource.username", "difi.datasource.username")
        let password = secret("spring.datasource.password") ?? secret("difi.datasource.password")
        let defaultDatabase = IntegrasjonspunktConfiguration.Database.sqlite(
            path: workingDirectory.appendingPathComponent("integrasjonspunkt.sqlite").path)
        guard let configured else {
            return .init(database: defaultDatabase, username: username, password: password, configuredURL: nil)
        }
        var database = defaultDatabase
        let lower = configured.lowercased()
        if lower.hasPrefix("jdbc:postgresql://") || lower.hasPrefix("postgresql://") || lower.hasPrefix("postgres://") {
            database = .postgreSQL(url: lower.hasPrefix("jdbc:") ? String(configured.dropFirst(5)) : configured)
        } else if lower.hasPrefix("jdbc:sqlite:") || lower.hasPrefix("sqlite:") {
            var path = String(configured.drop { $0 != ":" }.dropFirst())
            if lower.hasPrefix("jdbc:") { path = String(path.drop { $0 != ":" }.dropFirst()) }
            if path.hasPrefix("//") { path.removeFirst(2) }
            database = .sqlite(path: path == ":memory:" ? path : absolute(path))
        } else if lower.hasPrefix("jdbc:h2:") {
            var rest = String(configured.dropFirst("jdbc:h2:".count))
            if let semicolon = rest.firstIndex(of: ";") { rest = String(rest[..<semicolon]) }
            if rest.lowercased().hasPrefix("mem:") {
                database = .sqlite(path: ":memory:")
                warnings.append("\(urlKey)=\(configured) names an in-memory H2 database; using an in-memory SQLite database instead, so nothing survives a restart.")
            } else {
                if rest.lowercased().hasPrefix("file:") { rest = String(rest.dropFirst(5)) }
                let path = absolute(rest + ".sqlite")
                database = .sqlite(path: path)
                warnings.append("\(urlKey)=\(configured) names an H2 database; this gateway keeps its data in the embedded SQLite file \(path) instead (H2 data is not migrated).")
            }
        } else {
            problem(urlKey, configured, "is not a supported database URL",
                    "Use jdbc:postgresql://host:5432/database for PostgreSQL, jdbc:sqlite:path for an SQLite file, or leave it unset for the embedded integrasjonspunkt.sqlite.")
        }
        return .init(database: database, username: username, password: password, configuredURL: configured)
    }

    private mutating func bindProcesses() -> IntegrasjonspunktConfiguration.Processes {
        func value(_ key: String) -> String { string(key) ?? "" }
        return .init(
            arkivmeldingDefaultProcess: value("difi.move.arkivmelding.default-process"),
            arkivmeldingDPVDefaultProcess: value("difi.move.arkivmelding.dpv-default-process"),
            arkivmeldingDefaultDocumentType: value("difi.move.arkivmelding.default-document-type"),
            arkivmeldingReceiptProcess: value("difi.move.arkivmelding.receipt-process"),
            arkivmeldingReceiptDocumentType: value("difi.move.arkivmelding.receipt-document-type"),
            generateArkivmeldingReceipts: bool("difi.move.arkivmelding.generate-arkivmelding-receipts", default: true),
            avtaltReceiptProcess: value("difi.move.avtalt.receipt-process"),
            einnsynJournalProcess: value("difi.move.einnsyn.default-journal-process"),
            einnsynJournalDocumentType: value("difi.move.einnsyn.default-journal-document-type"),
            einnsynInnsynskravProcess: value("difi.move.einnsyn.default-innsynskrav-process"),
            einnsynInnsynskravDocumentType: value("difi.move.einnsyn.default-innsynskrav-document-type"),
            einnsynReceiptProcess: value("difi.move.einnsyn.receipt-process"),
            dphProcess: value("difi.move.dph.nhn-process"),
            dphDialogmeldingDocumentType: value("difi.move.dph.dialogmelding-document-type"),
            dphReceiptProcess: value("difi.move.dph.receipt-process"),
            dphReceiptDocumentType: value("difi.move.dph.receipt-document-type"))
    }

    private mutating func bindLogging() -> IntegrasjonspunktConfiguration.Logging {
        let fileName = raw.string("logging.file.name").map { $0.trimmingWhitespace() }
        var appender = IntegrasjonspunktConfiguration.Logging.StdoutAppender.console
        if let text = string("app.logger.stdoutAppender") {
            if let parsed = IntegrasjonspunktConfiguration.Logging.StdoutAppender(rawValue: text.uppercased()) {
                appender = parsed
            } else {
                problem("app.logger.stdoutAppender", text, "is not a known appender", "Use CONSOLE or JSON.")
            }
        }
        var levels: [String: String] = [:]
        for key in raw.keys(withPrefix: "logging.level.") {
            guard let entry = raw.entry(key), let value = entry.value else { continue }
            levels[String(entry.key.dropFirst("logging.level.".count))] = value.uppercased()
        }
        return .init(fileName: fileName?.isEmpty == false ? fileName : nil, stdoutAppender: appender, levels: levels)
    }

    // MARK: Cross-cutting checks

    /// A value the user wrote that refers to a key nobody set.
    private mutating func checkPlaceholders() {
        for entry in raw.entries where !entry.isDefault && !entry.unresolvedPlaceholders.isEmpty {
            let names = entry.unresolvedPlaceholders.map { "${\($0)}" }.joined(separator: ", ")
            problem(entry.key, entry.rawValue, "refers to \(names), which is not set",
                    "Set \(entry.unresolvedPlaceholders[0]), or give a default as ${\(entry.unresolvedPlaceholders[0]):value}.")
        }
    }

    private mutating func noteIgnoredAndMisspelledKeys() {
        let userEntries = raw.entries.filter { !$0.isDefault }
        let broker = userEntries.filter {
            let canonical = RelaxedKey.canonical($0.key)
            return canonical.hasPrefix("difi.activemq.") || canonical.hasPrefix("spring.activemq.")
        }
        if !broker.isEmpty {
            let keys = broker.map(\.key).joined(separator: ", ")
            warnings.append("\(keys): accepted and ignored: the outbox lives in the database (no separate message broker).")
        }
        for entry in userEntries {
            var canonical = RelaxedKey.canonical(entry.key)
            if let bracket = canonical.firstIndex(of: "[") { canonical = String(canonical[..<bracket]) }
            guard canonical.hasPrefix("difi."), !BuiltInDefaults.knownCanonicalKeys.contains(canonical),
                  !BuiltInDefaults.openPrefixes.contains(where: { canonical.hasPrefix($0) })
            else { continue }
            if let suggestion = KnownKeys.closest(to: canonical) {
                warnings.append("Unknown key \(entry.key) (\(entry.source)): did you mean \(suggestion)?")
            }
        }
    }
}
