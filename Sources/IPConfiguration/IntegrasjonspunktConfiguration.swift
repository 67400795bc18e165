import Model

/// The integration point's configuration: the upstream's `difi.*`, `server.*`, `spring.*`, `logging.*` and `app.*`
/// keys, typed and validated. Built by ``ConfigurationLoader``.
///
/// Durations given as plain numbers are milliseconds for every key here (as upstream: `pollingrate`,
/// `ttlPollingrate`, `connectTimeout`, …); keys whose name says hours or minutes are plain integers in that unit.
public struct IntegrasjonspunktConfiguration: Sendable {
    public var profile: Profile
    public var org: Organization
    public var server: Server
    public var security: Security
    public var ssl: SSL
    /// `difi.move.serviceregistryEndpoint`, without a trailing slash.
    public var serviceRegistryEndpoint: String
    public var sign: Sign
    /// `difi.move.identifier.synthetic.allow` (true in dev and staging).
    public var allowSyntheticIdentifiers: Bool
    public var features: Features
    public var nextmove: NextMove
    /// `difi.move.<channel>.default-ttl-hours`, each defaulting to `difi.move.nextmove.default-ttl-hours`.
    public var defaultTtlHours: PerChannel<Int>
    /// Largest total upload per message and channel, in bytes (`difi.move.<channel>.upload-size-limit`).
    public var uploadSizeLimits: PerChannel<Int64>
    public var queue: Queue
    public var webhooks: Webhooks
    public var datasource: Datasource
    public var processes: Processes
    public var ntp: NTP
    public var oidc: OIDC
    public var dpo: DPO
    public var dpv: DPV
    /// DPE: `difi.move.nextmove.serviceBus.*`.
    public var serviceBus = ServiceBus()
    /// DPF over KS Fiks SvarUt/SvarInn (`difi.move.fiks.*`).
    public var fiks = Fiks()
    /// `difi.move.dpi.*`.
    public var dpi = DPI()
    public var logging: Logging
    /// The case/archive system's BEST/EDU service (`difi.move.noarkSystem.*`); nil when no endpoint is set.
    public var noarkSystem: NoarkSystem?
    /// `difi.move.feature.returnOkOnEmptyPayload`: a BEST/EDU PutMessage without payload is answered OK.
    public var returnOkOnEmptyPayload: Bool = false
    /// Every effective key, for keys not modelled here.
    public var raw: ConfigurationValues

    /// `difi.move.org.*`: the organisation this gateway sends and receives for.
    public struct Organization: Sendable, Equatable {
        /// Nine digits.
        public var number: String
        public var keystore: Keystore
    }

    /// A keystore holding the virksomhetssertifikat and its private key.
    public struct Keystore: Sendable, Equatable {
        public enum StoreType: String, Sendable, Equatable, CaseIterable {
            case pkcs12 = "PKCS12"
            case jks = "JKS"
            /// `path` is a PEM private key and `certificate` a PEM certificate chain.
            case pem = "PEM"
        }

        /// File path, with a leading `file:` removed.
        public var path: String
        /// Entry alias; optional for PEM.
        public var alias: String?
        public var password: String?
        public var type: StoreType
        /// PEM certificate chain (type PEM only): `difi.move.org.keystore.certificate`.
        public var certificatePath: String?
    }

    public struct Server: Sendable, Equatable {
        /// `server.port`, 9093 by default; 0 picks a free port.
        public var port: Int
        /// `server.address`: the interface to listen on, all of them (`0.0.0.0`) by default.
        public var address: String
    }

    /// HTTP Basic authentication of the local API (`difi.security.*`).
    public struct Security: Sendable, Equatable {
        /// `difi.security.enable`, true by default.
        public var enabled: Bool
        public var userName: String?
        public var userPassword: String?
    }

    /// TLS of the local API (`difi.ssl.*`, aliases of `server.ssl.*`).
    public struct SSL: Sendable, Equatable {
        /// `difi.ssl.enabled`, true by default as in upstream v4.
        public var enabled: Bool
        public var keyStore: String?
        /// `JKS` by default.
        public var keyStoreType: String
        public var keyStorePassword: String?
        public var keyAlias: String?
    }

    /// `difi.move.sign.*`: JWS-signed service registry responses.
    public struct Sign: Sendable, Equatable {
        public var enabled: Bool
        /// `${difi.move.serviceregistryEndpoint}/jwk` by default.
        public var jwkURL: String?
    }

    /// `difi.move.feature.*`.
    public struct Features: Sendable, Equatable {
        public var enableDPO: Bool
        public var enableDPV: Bool
        public var enableDPI: Bool
        public var enableDPF: Bool
        public var enableDPE: Bool
        public var enableDPH: Bool
        public var enableReceipts: Bool
        public var cryptoMessagePersister: Bool
        public var enableBetaFeatures: Bool
        public var mailErrorStatus: Bool
        /// Service identifiers whose statuses go to the status queue / webhooks (empty: all).
        public var statusQueueIncludes: Set<String>
        public var allowDeprecatedTrailingSlash: Bool

        /// The channels switched on, as service identifiers ("DPO", …).
        public var enabledChannels: [String] {
            [("DPO", enableDPO), ("DPV", enableDPV), ("DPI", enableDPI), ("DPF", enableDPF), ("DPE", enableDPE),
             ("DPH", enableDPH)].filter(\.1).map(\.0)
        }
    }

    /// `difi.move.nextmove.*`.
    public struct NextMove: Sendable, Equatable {
        public var defaultTtlHours: Int
        public var useDbPersistence: Bool
        public var filedir: String
        public var lockTimeoutMinutes: Int
        /// Channels that send MOTTATT/LEVERT status messages back (`DPO,DPE`).
        public var statusServices: [String]
        /// `ttlPollingrate`: how often expired messages are looked for (plain number: milliseconds).
        public var ttlPollingRate: Duration
        public var statusDocumentType: String
        public var statusPollingPageSize: Int
        /// `statusPollingCron`: when the channels that fetch statuses are asked (Spring's six-field cron).
        public var statusPollingCron: CronSchedule
        /// The linear back-off of cron-scheduled polling: once a minute while young, up to
        /// `statusPollingBackoffMaxIntervalMinutes` at `statusPollingBackoffThresholdDays` since the last update.
        public var statusPollingBackoffThresholdDays: Int
        public var statusPollingBackoffMaxIntervalMinutes: Int
        /// Days a finished conversation and its status history are kept before housekeeping removes them
        /// (`status-retention-days`, default 180).
        public var statusRetentionDays: Int
    }

    /// Retries of outgoing work (`difi.move.queue.*`).
    public struct Queue: Sendable, Equatable {
        public var initialDelay: Duration
        public var multiplier: Double
        public var maxDelay: Duration
        public var maximumRetryHours: Int
        public var concurrency: Int
        /// `background-nice` (not an upstream key): how many steps nicer than the process the background work — the
        /// outbox, the pollers, the sweepers, webhooks — runs, so that the API gets the CPU first; 0 runs it at the
        /// API's priority.
        public var backgroundNice: Int
    }

    /// `difi.move.webhooks.*` (plain numbers: milliseconds).
    public struct Webhooks: Sendable, Equatable {
        public var connectTimeout: Duration
        public var readTimeout: Duration
    }

    /// Where messages and the outbox live (`difi.datasource.*`, or `spring.datasource.*`).
    public struct Datasource: Sendable, Equatable {
        public var database: Database
        public var username: String?
        public var password: String?
        /// The URL as configured (`nil`: the default).
        public var configuredURL: String?
    }

    /// The database a datasource URL names.
    public enum Database: Sendable, Equatable {
        /// An embedded SQLite file (absolute path).
        case sqlite(path: String)
        /// A PostgreSQL server; `url` is `postgresql://…` (a `jdbc:` prefix removed).
        case postgreSQL(url: String)
    }

    /// Process and document type identifiers (`difi.move.arkivmelding.*`, `avtalt`, `einnsyn`, `dph`).
    public struct Processes: Sendable, Equatable {
        public var arkivmeldingDefaultProcess: String
        public var arkivmeldingDPVDefaultProcess: String
        public var arkivmeldingDefaultDocumentType: String
        public var arkivmeldingReceiptProcess: String
        public var arkivmeldingReceiptDocumentType: String
        public var generateArkivmeldingReceipts: Bool
        public var avtaltReceiptProcess: String
        public var einnsynJournalProcess: String
        public var einnsynJournalDocumentType: String
        public var einnsynInnsynskravProcess: String
        public var einnsynInnsynskravDocumentType: String
        public var einnsynReceiptProcess: String
        public var dphProcess: String
        public var dphDialogmeldingDocumentType: String
        public var dphReceiptProcess: String
        public var dphReceiptDocumentType: String
    }

    /// `difi.move.ntp.*`.
    public struct NTP: Sendable, Equatable {
        public var disabled: Bool
        public var host: String
    }

    /// Maskinporten (`difi.move.oidc.*`).
    public struct OIDC: Sendable, Equatable {
        public var enabled: Bool
        /// Token endpoint.
        public var url: String
        public var audience: String
        /// `MOVE_IP_<orgnr>` unless set.
        public var clientId: String
        public var connectTimeout: Duration
        public var readTimeout: Duration
    }

    /// DPO over the Altinn 3 Broker (`difi.move.dpo.*`).
    public struct DPO: Sendable, Equatable {
        public var brokerserviceURL: String
        public var altinnTokenExchangeURL: String
        public var resource: String?
        public var systemName: String
        public var systemUserOrgId: String?
        public var systemUserName: String?
        public var systemRegisterURL: String
        /// How often the broker is polled (plain number: milliseconds), 15 s by default.
        public var pollingRate: Duration
        public var connectTimeout: Duration
        public var requestTimeout: Duration
        public var messageChannel: String?
        /// `difi.move.dpo.upload-size-limit` in bytes, 1 GB by default.
        public var uploadSizeLimit: Int64
        /// `difi.move.dpo.oidc.*`, each defaulting to `difi.move.oidc.*`.
        public var oidcURL: String
        public var oidcAudience: String
        public var oidcClientId: String
    }

    /// DPV over Digdir's Altinn Correspondence proxy (`difi.move.dpv.*`, `internals.md` §6.7).
    public struct DPV: Sendable, Equatable {
        public var correspondenceServiceURL: String
        public var altinnTokenExchangeURL: String
        /// Checked at start-up, by `/manage/health` and by `doctor`; empty switches the check off.
        public var healthCheckURL: String
        public var sensitiveResource: String
        public var notifyEmail: Bool
        public var notifySms: Bool
        public var notificationText: String
        public var sensitiveNotificationText: String
        public var emailSubject: String
        public var daysToReply: Int
        public var enableDueDate: Bool
        /// `difi.move.dpv.pollingrate`: poll every pollable DPV conversation at this rate instead of the
        /// `statusPollingCron` back-off; nil when not set.
        public var pollingRate: Duration?
        /// `difi.move.dpv.oidc.*`, each defaulting to `difi.move.oidc.*`.
        public var oidcURL: String
        public var oidcAudience: String
        public var oidcClientId: String
    }

    /// `difi.move.noarkSystem.*`: where incoming arkivmelding messages are pushed by BEST/EDU `PutMessage`.
    public struct NoarkSystem: Sendable, Equatable {
        public enum SystemType: String, Sendable, Equatable, CaseIterable {
            case p360 = "P360"
            case ePhorte = "ePhorte"
            case webSak = "WebSak"
            case noarkExchange = "noarkExchange"
        }

        public var endpointURL: String
        /// `difi.move.noarkSystem.type`; `noarkExchange` (the upstream's own WSDL) when not set.
        public var type: SystemType
        public var username: String?
        public var password: String?
        public var domain: String?
    }

    /// `logging.file.name` and `app.logger.stdoutAppender`.
    public struct Logging: Sendable, Equatable {
        public enum StdoutAppender: String, Sendable, Equatable { case console = "CONSOLE", json = "JSON" }
        /// `nil` when set to empty: no log file.
        public var fileName: String?
        public var stdoutAppender: StdoutAppender
        /// `logging.level.<logger>` → level, e.g. `["no.difi": "DEBUG"]`.
        public var levels: [String: String]
    }
}

extension IntegrasjonspunktConfiguration {
    /// Every effective `key=value` with its source, secrets masked; see ``ConfigurationValues/maskedDump()``.
    public func maskedDump() -> String { raw.maskedDump() }
}
