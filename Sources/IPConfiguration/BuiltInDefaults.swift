/// The upstream's `application.properties` and `application-<profile>.properties`, as far as this gateway reads them.
///
/// Values follow `reference/internals.md` §6. Where the reference names a production value only loosely, the value
/// here is our best reading and is marked `// guess`.
enum BuiltInDefaults {
    /// `application.properties`: the base layer, which points at Digdir's test environment (tt02, test Maskinporten).
    static let base: [(String, String)] = [
        // §6.1 core
        ("server.port", "9093"),
        ("server.address", "0.0.0.0"),
        ("difi.move.org.keystore.type", "PKCS12"),
        ("difi.move.org.keystore.lockProvider", "false"),
        ("difi.move.serviceregistryEndpoint", "https://test.eformidling.no/adressetjeneste"),
        ("difi.move.sign.enable", "true"),
        ("difi.move.sign.jwkUrl", "${difi.move.serviceregistryEndpoint}/jwk"),
        ("difi.move.identifier.synthetic.allow", "false"),
        ("difi.security.enable", "true"),
        ("difi.ssl.enabled", "true"),
        ("difi.ssl.key-store-type", "JKS"),
        ("difi.datasource.username", "sa"),
        // §6.2 features
        ("difi.move.feature.enableDPO", "false"),
        ("difi.move.feature.enableDPV", "false"),
        ("difi.move.feature.enableDPI", "false"),
        ("difi.move.feature.enableDPF", "false"),
        ("difi.move.feature.enableDPE", "false"),
        ("difi.move.feature.enableDPH", "false"),
        ("difi.move.feature.enableQueue", "true"),
        ("difi.move.feature.enableReceipts", "true"),
        ("difi.move.feature.forwardReceivedAppReceipts", "true"),
        ("difi.move.feature.mailErrorStatus", "false"),
        ("difi.move.feature.retryOnDeadLock", "true"),
        ("difi.move.feature.cryptoMessagePersister", "true"),
        ("difi.move.feature.enableDsfPrintLookup", "true"),
        ("difi.move.feature.enableBetaFeatures", "false"),
        ("difi.move.feature.statusQueueIncludes", ""),
        ("difi.move.feature.allowDeprecatedTrailingSlash", "false"),
        ("difi.move.feature.dumpDlqMessages", "false"),
        ("difi.move.feature.enable-auth", "${difi.security.enable:true}"),
        ("difi.move.deadlock.retryCount", "5"),
        ("difi.move.deadlock.delay", "1000"),
        // §6.3 processes and document types
        ("difi.move.arkivmelding.default-process", "urn:no:difi:profile:arkivmelding:administrasjon:ver1.0"),
        ("difi.move.arkivmelding.dpv-default-process", "${difi.move.arkivmelding.default-process}"),
        ("difi.move.arkivmelding.default-document-type", "urn:no:difi:arkivmelding:xsd::arkivmelding"),
        ("difi.move.arkivmelding.receipt-process", "urn:no:difi:profile:arkivmelding:response:ver1.0"),
        ("difi.move.arkivmelding.receipt-document-type", "urn:no:difi:arkivmelding:xsd::arkivmelding_kvittering"),
        ("difi.move.arkivmelding.generate-arkivmelding-receipts", "true"),
        ("difi.move.avtalt.receipt-process", "urn:no:difi:profile:avtalt:response:ver1.0"),
        ("difi.move.einnsyn.default-journal-process", "urn:no:difi:profile:einnsyn:journalpost:ver1.0"),
        ("difi.move.einnsyn.default-journal-document-type", "urn:no:difi:einnsyn:xsd::publisering"),
        ("difi.move.einnsyn.default-innsynskrav-process", "urn:no:difi:profile:einnsyn:innsynskrav:ver1.0"),
        ("difi.move.einnsyn.default-innsynskrav-document-type", "urn:no:difi:einnsyn:xsd::innsynskrav"),
        ("difi.move.einnsyn.receipt-process", "urn:no:difi:profile:einnsyn:response:ver1.0"),
        ("difi.move.nextmove.status-document-type", "urn:no:difi:eformidling:xsd::status"),
        ("difi.move.dph.nhn-process", "urn:no:difi:profile:helse:helse:ver1.0"),
        ("difi.move.dph.dialogmelding-document-type", "urn:no:difi:helse:xsd:schema::dialogmelding"),
        ("difi.move.dph.receipt-process", "urn:no:difi:profile:helse:response:ver1.0"),
        ("difi.move.dph.receipt-document-type", "urn:no:difi:helse:xsd::dialogmelding_kvittering"),
        // §6.4 nextmove / queue
        ("difi.move.nextmove.default-ttl-hours", "24"),
        // Upstream keeps payloads in the database by default; files on disk stream faster and keep the database small.
        ("difi.move.nextmove.use-db-persistence", "false"),
        ("difi.move.nextmove.filedir", "messages"),
        ("difi.move.nextmove.lockTimeoutMinutes", "5"),
        ("difi.move.nextmove.apply-zip-header-patch", "false"),
        ("difi.move.nextmove.status-services", "DPO,DPE"),
        ("difi.move.nextmove.statusPollingCron", "0 * * * * *"),
        ("difi.move.nextmove.statusPollingPageSize", "2000"),
        ("difi.move.nextmove.statusPollingBackoffThresholdDays", "30"),
        ("difi.move.nextmove.statusPollingBackoffMaxIntervalMinutes", "60"),
        ("difi.move.nextmove.ttlPollingrate", "30000"),
        ("difi.move.nextmove.status-retention-days", "180"),
        ("difi.move.queue.maximum-retry-hours", "100"),
        ("difi.move.queue.concurrency", "10"),
        ("difi.move.queue.background-nice", "10"),
        ("difi.move.queue.nextmove-name", "nextmove"),
        ("difi.move.queue.dlq-name", "ActiveMQ.DLQ"),
        // Our outbox's back-off (DECISIONS 10); the upstream used ActiveMQ redelivery with the same shape.
        ("difi.move.queue.retry.initial-delay", "20s"),
        ("difi.move.queue.retry.multiplier", "3"),
        ("difi.move.queue.retry.max-delay", "1h"),
        ("difi.move.webhooks.connectTimeout", "10000"),
        ("difi.move.webhooks.readTimeout", "10000"),
        ("difi.move.ntp.disable", "false"),
        ("difi.move.ntp.host", "time.google.com"),
        // §6.5 Maskinporten
        ("difi.move.oidc.enable", "true"),
        ("difi.move.oidc.url", "https://test.maskinporten.no/token"),
        ("difi.move.oidc.audience", "https://test.maskinporten.no/"),
        ("difi.move.oidc.clientIdPrefix", "MOVE_IP_"),
        ("difi.move.oidc.clientId", "${difi.move.oidc.clientIdPrefix}${difi.move.org.number}"),
        ("difi.move.oidc.connectTimeout", "5000"),
        ("difi.move.oidc.readTimeout", "30000"),
        ("difi.move.dpo.oidc.url", "${difi.move.oidc.url}"),
        ("difi.move.dpo.oidc.audience", "${difi.move.oidc.audience}"),
        ("difi.move.dpo.oidc.clientId", "${difi.move.oidc.clientId}"),
        ("difi.move.dpv.oidc.url", "${difi.move.oidc.url}"),
        ("difi.move.dpv.oidc.audience", "${difi.move.oidc.audience}"),
        ("difi.move.dpv.oidc.clientId", "${difi.move.oidc.clientId}"),
        // §6.6 DPO
        ("difi.move.dpo.brokerserviceUrl", "https://platform.tt02.altinn.no/broker/api/v1"),
        ("difi.move.dpo.altinnTokenExchangeUrl",
         "https://platform.tt02.altinn.no/authentication/api/v1/exchange/maskinporten"),
        ("difi.move.dpo.resource", "eformidling-dpo-meldingsutveksling"),
        ("difi.move.dpo.systemName", "${difi.move.org.number}_integrasjonspunkt"),
        ("difi.move.dpo.systemUser.orgId", "0192:${difi.move.org.number}"),
        ("difi.move.dpo.systemUser.name", "${difi.move.dpo.systemName}_systembruker_${difi.move.org.number}"),
        ("difi.move.dpo.systemRegisterUrl", "https://platform.tt02.altinn.no/authentication/api/v1"),
        ("difi.move.dpo.connectTimeout", "3000"),
        ("difi.move.dpo.requestTimeout", "30000"),
        ("difi.move.dpo.pollingrate", "15000"),
        ("difi.move.dpo.upload-size-limit", "1GB"),
        ("difi.move.dpo.default-ttl-hours", "${difi.move.nextmove.default-ttl-hours}"),
        // §6.7 DPV
        ("difi.move.dpv.correspondenceServiceUrl", "https://test.eformidling.no/altinn-proxy/correspondence/api/v1"),
        ("difi.move.dpv.altinnTokenExchangeUrl",
         "https://platform.tt02.altinn.no/authentication/api/v1/exchange/maskinporten"),
        ("difi.move.dpv.health-check-url", "https://platform.tt02.altinn.no/health-probe"),
        ("difi.move.dpv.notifyEmail", "true"),
        ("difi.move.dpv.notifySms", "true"),
        ("difi.move.dpv.email-subject", "Melding mottatt i Altinn"),
        ("difi.move.dpv.notification-text",
         "$correspondenceRecipientName$: Du har mottatt en melding fra $reporterName$."),
        ("difi.move.dpv.sensitive-notification-text",
         "$correspondenceRecipientName$, har mottatt en taushetsbelagt melding fra $reporterName$. For å få tilgang til meldingen, er det nødvendig at noen i $correspondenceRecipientName$ har fått tildelt tilgang til tjenesten «eformidling-dpv-taushetsbelagt» i Altinn. Dersom dere er usikre på om noen har slik tilgang, anbefaler vi sterkt at dette sjekkes. Les mer om å gi tilgang til tjenester på Altinns nettsider."),
        ("difi.move.dpv.daysToReply", "7"),
        ("difi.move.dpv.enableDueDate", "true"),
        ("difi.move.dpv.upload-size-limit", "250MB"),
        ("difi.move.dpv.sensitiveResource", "eformidling-dpv-taushetsbelagt"),
        ("difi.move.dpv.default-ttl-hours", "${difi.move.nextmove.default-ttl-hours}"),
        // §6.8 DPI
        ("difi.move.dpi.uri", "https://sandbox1.ediex.no/api/v2/dpi"),
        ("difi.move.dpi.krr-print-url", "https://test.kontaktregisteret.no/rest/v2/printSertifikat"),
        ("difi.move.dpi.mpcId", "no_difi_move_integrasjonspunkt"),
        ("difi.move.dpi.mpcConcurrency", "1"),
        ("difi.move.dpi.pollWithoutAvsenderidentifikator", "true"),
        ("difi.move.dpi.language", "NO"),
        ("difi.move.dpi.priority", "NORMAL"),
        ("difi.move.dpi.printSettings.returnType", "SHREDDING"),
        ("difi.move.dpi.printSettings.inkType", "BLACK_WHITE"),
        ("difi.move.dpi.printSettings.shippingType", "ECONOMY"),
        ("difi.move.dpi.upload-size-limit", "50MB"),
        ("difi.move.dpi.clientMaxConnectionPoolSize", "10"),
        ("difi.move.dpi.certificate.mode", "TEST"),
        ("difi.move.dpi.timeout.connect", "5000"),
        ("difi.move.dpi.timeout.read", "60000"),
        ("difi.move.dpi.timeout.write", "60000"),
        ("difi.move.dpi.temporary-file-threshold", "1000000"),
        ("difi.move.dpi.initialBufferSize", "100000"),
        ("difi.move.dpi.pollingrate", "10000"),
        ("difi.move.dpi.pageSize", "100"),
        ("difi.move.dpi.receipt-type", "json"),
        ("difi.move.dpi.oidc.enable", "${difi.move.oidc.enable}"),
        ("difi.move.dpi.oidc.url", "${difi.move.oidc.url}"),
        ("difi.move.dpi.oidc.audience", "${difi.move.oidc.audience}"),
        ("difi.move.dpi.oidc.clientId", "${difi.move.oidc.clientId}"),
        ("difi.move.dpi.oidc.scopes", "digitalpostinnbygger:send"),
        ("difi.move.dpi.default-ttl-hours", "${difi.move.nextmove.default-ttl-hours}"),
        // §6.9 DPH
        ("difi.move.dph.uri", "https://test.eformidling.no/nhn-adapter/api"),
        ("difi.move.dph.upload-size-limit", "18MB"),
        ("difi.move.dph.temporary-file-threshold", "1MB"),
        ("difi.move.dph.initialBufferSize", "64KB"),
        ("difi.move.dph.pollingrate", "30000"),
        ("difi.move.dph.timeout.connect", "3000"),
        ("difi.move.dph.timeout.read", "30000"),
        ("difi.move.dph.timeout.write", "30000"),
        ("difi.move.dph.certificate.mode", "TEST"),
        ("difi.move.dph.oidc.scopes", "eformidling:dph"),
        ("difi.move.dph.default-ttl-hours", "${difi.move.nextmove.default-ttl-hours}"),
        // §6.10 Fiks
        ("difi.move.fiks.kryptert", "true"),
        ("difi.move.fiks.pollingrate", "900000"),
        ("difi.move.fiks.inn.enable", "${difi.move.feature.enableDPF}"),
        ("difi.move.fiks.inn.baseUrl", "https://test.svarut.ks.no/tjenester/svarinn"),
        ("difi.move.fiks.inn.process", "${difi.move.arkivmelding.default-process}"),
        ("difi.move.fiks.inn.document-type", "${difi.move.arkivmelding.default-document-type}"),
        ("difi.move.fiks.inn.connectTimeout", "10000"),
        ("difi.move.fiks.inn.readTimeout", "30000"),
        ("difi.move.fiks.inn.orgnr", "${difi.move.org.number}"),
        ("difi.move.fiks.inn.fallback-sender-org-nr", "999999999"),
        ("difi.move.fiks.ut.endpointUrl", "https://test.svarut.ks.no"),
        ("difi.move.fiks.ut.kun-digital-levering", "false"),
        ("difi.move.fiks.ut.upload-size-limit", "1GB"),
        ("difi.move.fiks.ut.type", "ws"),
        ("difi.move.fiks.ut.ws.endpointUrl",
         "${difi.move.fiks.ut.endpointUrl}/tjenester/forsendelseservice/ForsendelsesServiceV9"),
        ("difi.move.fiks.ut.rest.idleTimeout", "16m"),
        ("difi.move.fiks.ut.rest.maskinporten.scopes", "ks:fiks"),
        ("difi.move.fiks.ut.default-ttl-hours", "${difi.move.nextmove.default-ttl-hours}"),
        // §6.11 DPE
        ("difi.move.nextmove.serviceBus.enable", "${difi.move.feature.enableDPE}"),
        ("difi.move.nextmove.serviceBus.sasKeyName", "MoveDPE-pilotPolicy"),
        ("difi.move.nextmove.serviceBus.mode", "innsyn"),
        ("difi.move.nextmove.serviceBus.baseUrl", "efm-dpe-qa.servicebus.windows.net"),
        ("difi.move.nextmove.serviceBus.useHttps", "true"),
        ("difi.move.nextmove.serviceBus.pollingrate", "20000"),
        ("difi.move.nextmove.serviceBus.readMaxMessages", "50"),
        ("difi.move.nextmove.serviceBus.batchRead", "false"),
        ("difi.move.nextmove.serviceBus.connectTimeout", "15000"),
        ("difi.move.nextmove.serviceBus.upload-size-limit", "2MB"),
        ("difi.move.nextmove.serviceBus.default-ttl-hours", "${difi.move.nextmove.default-ttl-hours}"),
        // §6.12 infra and logging
        ("management.endpoints.web.base-path", "/manage"),
        ("logging.file.name", "integrasjonspunkt-logs/application.log"),
        ("app.logger.enableLogstash", "false"),
        ("app.logger.secureLogstash", "false"),
        ("app.logger.destination", "test-logs.eformidling.no:80"),
        ("app.logger.stdoutAppender", "CONSOLE"),
        ("app.scheduling.enable", "true"),
    ]

    /// `application-<profile>.properties`, laid over `base`.
    static func profile(_ profile: Profile) -> [(String, String)] {
        switch profile {
        case .dev:
            return [
                ("difi.move.serviceregistryEndpoint", "https://eformidling.dev/adressetjeneste"),
                ("difi.move.identifier.synthetic.allow", "true"),
                ("difi.move.oidc.clientId", "test_move"),
                // The reference also names keystore alias `digdir-test-eformidling` for dev Maskinporten; the key
                // it sets is not given, so it is left out.
                ("difi.move.dpi.mpcId", "no_difi_move_integrasjonspunkt-dev"),  // guess: "...-dev"
                ("difi.move.fiks.pollingrate", "15000"),
                ("difi.move.nextmove.serviceBus.pollingrate", "5000"),
            ]
        case .staging:
            return [
                ("difi.move.serviceregistryEndpoint", "https://test.eformidling.no/adressetjeneste"),
                ("difi.move.feature.enableBetaFeatures", "true"),
                ("difi.move.identifier.synthetic.allow", "true"),
                ("difi.move.dpi.mpcId", "no_difi_move_integrasjonspunkt-staging"),  // guess: "...-staging"
                ("difi.move.dpi.certificate.mode", "TEST"),
                ("difi.move.arkivmelding.generate-arkivmelding-receipts", "false"),
                ("app.logger.enableLogstash", "true"),
                ("app.logger.destination", "test-logs.eformidling.no:80"),
            ]
        case .production:
            return [
                ("difi.move.serviceregistryEndpoint", "https://eformidling.no/adressetjeneste"),
                ("difi.move.oidc.url", "https://maskinporten.no/token"),
                ("difi.move.oidc.audience", "https://maskinporten.no/"),
                ("difi.move.feature.enableDPE", "true"),
                ("difi.move.arkivmelding.generate-arkivmelding-receipts", "false"),
                ("difi.move.dpo.brokerserviceUrl", "https://platform.altinn.no/broker/api/v1"),
                ("difi.move.dpo.altinnTokenExchangeUrl",
                 "https://platform.altinn.no/authentication/api/v1/exchange/maskinporten"),
                ("difi.move.dpo.systemRegisterUrl", "https://platform.altinn.no/authentication/api/v1"),  // guess
                ("difi.move.dpv.correspondenceServiceUrl",
                 "https://eformidling.no/altinn-proxy/correspondence/api/v1"),  // guess: reference gives the host/path prefix
                ("difi.move.dpv.altinnTokenExchangeUrl",
                 "https://platform.altinn.no/authentication/api/v1/exchange/maskinporten"),  // guess
                ("difi.move.dpv.health-check-url", "https://platform.altinn.no/health-probe"),  // guess
                ("difi.move.dpi.uri", "https://edi.edigard.com/api/v2/dpi"),
                ("difi.move.dpi.krr-print-url", "https://kontaktregisteret.no/rest/v2/printSertifikat"),  // guess
                ("difi.move.dpi.certificate.mode", "PRODUCTION"),
                ("difi.move.dpi.mpcId", "no.difi.move.integrasjonspunkt"),
                ("difi.move.dph.uri", "https://eformidling.no/nhn-adapter/api"),
                ("difi.move.dph.certificate.mode", "PRODUCTION"),  // guess
                ("difi.move.fiks.inn.baseUrl", "https://svarut.ks.no/tjenester/svarinn"),
                ("difi.move.fiks.ut.endpointUrl", "https://svarut.ks.no"),
                ("difi.move.nextmove.serviceBus.sasKeyName", "MoveDPE-prodPolicy"),
                ("difi.move.nextmove.serviceBus.baseUrl", "efm-dpe-prod.servicebus.windows.net"),
                ("app.logger.enableLogstash", "true"),
                ("app.logger.secureLogstash", "true"),
                ("app.logger.destination", "logs.eformidling.no:443"),
            ]
        }
    }

    /// Keys the upstream knows that have no default value. With the keys of `base` they form the known keys, used
    /// to match environment variables and to spot typos.
    static let keysWithoutDefault: [String] = [
        "spring.profiles.active", "spring.config.import", "spring.config.location", "spring.config.additional-location",
        "difi.move.org.number", "difi.move.org.keystore.path", "difi.move.org.keystore.alias",
        "difi.move.org.keystore.password", "difi.move.org.keystore.certificate",
        "difi.security.user.name", "difi.security.user.password",
        "spring.security.user.name", "spring.security.user.password",
        "difi.ssl.key-store", "difi.ssl.key-store-password", "difi.ssl.key-alias",
        "server.ssl.enabled", "server.ssl.key-store", "server.ssl.key-store-type", "server.ssl.key-store-password",
        "server.ssl.key-alias",
        "difi.datasource.url", "difi.datasource.password",
        "spring.datasource.url", "spring.datasource.username", "spring.datasource.password",
        "difi.activemq.broker-url", "difi.activemq.user", "difi.activemq.password",
        "difi.move.nextmove.blob-cache-dir",
        "difi.move.feature.returnOkOnEmptyPayload",
        "difi.move.noarkSystem.endpointURL", "difi.move.noarkSystem.type", "difi.move.noarkSystem.username",
        "difi.move.noarkSystem.password", "difi.move.noarkSystem.domain",
        "difi.move.mail.smtpHost", "difi.move.mail.smtpPort", "difi.move.mail.senderAddress",
        "difi.move.mail.receiverAddress", "difi.move.mail.enableAuth", "difi.move.mail.username",
        "difi.move.mail.password", "difi.move.mail.trust", "difi.move.mail.maxSize",
        "difi.move.oidc.keystore.path", "difi.move.oidc.keystore.alias", "difi.move.oidc.keystore.password",
        "difi.move.oidc.keystore.type",
        "difi.move.dpo.oidc.authenticationType", "difi.move.dpo.oidc.jwk.path",
        "difi.move.dpo.oidc.keystore.path", "difi.move.dpo.oidc.keystore.alias", "difi.move.dpo.oidc.keystore.password",
        "difi.move.dpo.oidc.keystore.type", "difi.move.dpo.messageChannel",
        "difi.move.dpv.oidc.authenticationType", "difi.move.dpv.oidc.jwk.path",
        "difi.move.dpv.oidc.keystore.path", "difi.move.dpv.oidc.keystore.alias", "difi.move.dpv.oidc.keystore.password",
        "difi.move.dpv.oidc.keystore.type",
        "difi.move.dpv.pollingrate",
        "difi.move.dpi.c2-type", "difi.move.dpi.mpcIdListe", "difi.move.dpi.avsenderidentifikatorListe",
        "difi.move.dpi.keystore.path", "difi.move.dpi.keystore.alias", "difi.move.dpi.keystore.password",
        "difi.move.dpi.keystore.type", "difi.move.dpi.keystore.certificate", "difi.move.dpi.oidc.mock.token",
        "difi.move.dpi.endpoint", "difi.move.dpi.oidc.keystore.path", "difi.move.dpi.oidc.keystore.alias",
        "difi.move.dpi.oidc.keystore.password", "difi.move.dpi.oidc.keystore.type",
        "difi.move.dpi.temporary-file-directory", "difi.move.dpi.certificate.trusted-certificates",
        "difi.move.dph.her-ids", "difi.move.dph.oidc.url", "difi.move.dph.oidc.audience", "difi.move.dph.oidc.clientId",
        "difi.move.fiks.keystore.path", "difi.move.fiks.keystore.alias", "difi.move.fiks.keystore.password",
        "difi.move.fiks.keystore.type",
        "difi.move.fiks.inn.username", "difi.move.fiks.inn.password", "difi.move.fiks.inn.mailOnError",
        "difi.move.fiks.inn.mailSubject", "difi.move.fiks.keystore.certificate",
        "difi.move.fiks.ut.username", "difi.move.fiks.ut.password", "difi.move.fiks.ut.konteringsKode",
        "difi.move.fiks.ut.ekskluderesFraPrint",
        "difi.move.fiks.ut.rest.endpointUrl", "difi.move.fiks.ut.rest.kontoid", "difi.move.fiks.ut.rest.integrasjon-id",
        "difi.move.fiks.ut.rest.integrasjon-passord", "difi.move.fiks.ut.rest.maskinporten.clientId",
        "difi.move.fiks.ut.rest.maskinporten.token-uri", "difi.move.fiks.ut.rest.maskinporten.audience",
        "difi.move.nextmove.serviceBus.sasToken", "difi.move.nextmove.serviceBus.receiptQueue",
        "app.logger.destination2",
        "vault.uri", "vault.token", "vault.path", "vault.resource-path",
        "logging.file.path", "logging.config",
    ]

    /// Keys whose children are free-form (maps keyed by an org number, lists of records): unknown keys under them
    /// are not typos.
    static let openPrefixes: [String] = [
        "difi.move.fiks.inn.paavegneav.", "difi.move.fiks.ut.paavegneav.", "difi.move.dpo.reportees",
        "difi.move.dph.herids", "difi.activemq.", "logging.level.", "logging.group.",
    ].map { RelaxedKey.canonical($0) }

    /// Canonical forms of every known key.
    static let knownCanonicalKeys: Set<String> = {
        var keys = Set(base.map { RelaxedKey.canonical($0.0) })
        for profile in Profile.allCases { keys.formUnion(Self.profile(profile).map { RelaxedKey.canonical($0.0) }) }
        keys.formUnion(keysWithoutDefault.map(RelaxedKey.canonical))
        return keys
    }()

    /// Known keys by their separator-free form, for environment variables.
    static let knownBySquashedName: [String: String] = {
        var result: [String: String] = [:]
        for key in knownCanonicalKeys { result[RelaxedKey.squashed(key)] = key }
        return result
    }()
}
