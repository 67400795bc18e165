extension IntegrasjonspunktConfiguration {
    /// DPF over KS Fiks: SvarUt to send, SvarInn to receive (`difi.move.fiks.*`, `internals.md` §6.10).
    ///
    /// Plain numbers in durations are milliseconds (`pollingrate`, `connectTimeout`, `readTimeout`), as upstream.
    public struct Fiks: Sendable, Equatable {
        /// A SvarUt or SvarInn login (HTTP Basic).
        public struct Credentials: Sendable, Equatable {
            public var username: String
            public var password: String
            public init(username: String, password: String) {
                self.username = username
                self.password = password
            }
        }

        /// SvarInn: `difi.move.fiks.inn.*`.
        public struct Inn: Sendable, Equatable {
            /// `inn.enable`, defaulting to `difi.move.feature.enableDPF`.
            public var enabled = false
            public var baseURL = "https://test.svarut.ks.no/tjenester/svarinn"
            /// `inn.username/password`: the mottakersystem of our own organisation.
            public var credentials: Credentials?
            /// `inn.paaVegneAv.<orgnr>.username/password`.
            public var onBehalfOf: [String: Credentials] = [:]
            public var process = "urn:no:difi:profile:arkivmelding:administrasjon:ver1.0"
            public var documentType = "urn:no:difi:arkivmelding:xsd::arkivmelding"
            public var connectTimeout: Duration = .seconds(10)
            public var readTimeout: Duration = .seconds(30)
            /// `inn.orgnr`: the organisation whose mailbox the own credentials open (`difi.move.org.number`).
            public var organisationNumber = ""
            /// `inn.fallback-sender-org-nr`: the sender of forsendelser that name none.
            public var fallbackSenderOrganisationNumber = "999999999"
            public init() {}
        }

        /// SvarUt: `difi.move.fiks.ut.*`.
        public struct Ut: Sendable, Equatable {
            /// `ut.type`: the SOAP `ForsendelsesServiceV9` (`ws`, default) or the REST API (`rest`).
            public enum TransportType: String, Sendable, Equatable, CaseIterable {
                case ws, rest
            }

            /// `ut.rest.*`.
            public struct REST: Sendable, Equatable {
                /// `ut.rest.endpointUrl`, defaulting to `ut.endpointUrl`.
                public var endpointURL = ""
                /// `ut.rest.kontoid`: the SvarUt account (a UUID).
                public var kontoId: String?
                public var integrasjonId: String?
                public var integrasjonPassord: String?
                public var idleTimeout: Duration = .seconds(16 * 60)
                /// `ut.rest.maskinporten.*`, each defaulting to `difi.move.oidc.*`.
                public var maskinportenClientId = ""
                public var maskinportenTokenURL = ""
                public var maskinportenAudience = ""
                public var maskinportenScopes = ["ks:fiks"]
                public init() {}
            }

            public var type = TransportType.ws
            public var credentials: Credentials?
            public var onBehalfOf: [String: Credentials] = [:]
            public var endpointURL = "https://test.svarut.ks.no"
            /// `ut.ws.endpointUrl`.
            public var wsEndpointURL = "https://test.svarut.ks.no/tjenester/forsendelseservice/ForsendelsesServiceV9"
            public var kunDigitalLevering = false
            /// `ut.konteringsKode`.
            public var konteringskode: String?
            /// `ut.ekskluderesFraPrint`: extensions (lowercase, no dot) or `*`.
            public var ekskluderesFraPrint: Set<String> = []
            public var rest = REST()
            public init() {}
        }

        /// `difi.move.fiks.kryptert`: documents to SvarUt are CMS-encrypted (true).
        public var kryptert = true
        /// `difi.move.fiks.keystore.*`: decrypts downloads from SvarInn; nil means the organisation's keystore.
        public var keystore: Keystore?
        /// `difi.move.fiks.pollingrate`: how often SvarInn is asked (15 min; dev profile 15 s).
        public var pollingRate: Duration = .seconds(900)
        public var inn = Inn()
        public var ut = Ut()

        public init() {}
    }
}
