extension IntegrasjonspunktConfiguration {
    /// DPI, digital post to citizens and print, over the corner-2 REST API (`difi.move.dpi.*`, `internals.md` §6.8).
    /// The initial values are the upstream defaults; the binder replaces them with the configured ones.
    public struct DPI: Sendable, Equatable {
        /// How a receipt's signing certificate is checked (`difi.move.dpi.certificate.mode`).
        public enum CertificateMode: String, Sendable, Equatable, CaseIterable {
            /// Buypass and Commfides test roots, and Digdir's self-signed test root.
            case test = "TEST"
            /// Buypass and Commfides production roots.
            case production = "PRODUCTION"
        }

        /// `difi.move.dpi.printSettings.*`: accepted for compatibility; the JSON API takes print options per message.
        public struct PrintSettings: Sendable, Equatable {
            public var returnType = "SHREDDING"
            public var inkType = "BLACK_WHITE"
            public var shippingType = "ECONOMY"
        }

        /// `difi.move.dpi.oidc.*`: the Maskinporten client for the corner-2 token (`digitalpostinnbygger:send`).
        public struct OIDC: Sendable, Equatable {
            /// `enable`; when false, `mockToken` is sent as the bearer token (test set-ups without Maskinporten).
            public var enabled = true
            public var url = "https://test.maskinporten.no/token"
            public var audience = "https://test.maskinporten.no/"
            public var clientId = ""
            public var scopes = ["digitalpostinnbygger:send"]
            /// `difi.move.dpi.oidc.keystore.*`, the DPI keystore by default.
            public var keystore = Keystore(path: "", alias: nil, password: nil, type: .pkcs12, certificatePath: nil)
            /// `mock.token`.
            public var mockToken: String?
        }

        /// `uri`: the corner 2 ("meldingsformidler") base URL, e.g. `https://sandbox1.ediex.no/api/v2/dpi`.
        public var uri = "https://sandbox1.ediex.no/api/v2/dpi"
        /// `krr-print-url`: where the print provider's address and certificate are read.
        public var krrPrintURL = "https://test.kontaktregisteret.no/rest/v2/printSertifikat"
        /// `mpcId`.
        public var mpcID = "no_difi_move_integrasjonspunkt"
        /// `mpcConcurrency`: with N > 1 the channels are `<mpcId>-0` … `<mpcId>-(N-1)`.
        public var mpcConcurrency = 1
        /// `mpcIdListe`: overrides `mpcId` and `mpcConcurrency` when set.
        public var mpcIDList: [String]?
        /// `avsenderidentifikatorListe`: receipts are also polled once per sender identifier.
        public var avsenderidentifikatorList: [String] = []
        /// `pollWithoutAvsenderidentifikator`.
        public var pollWithoutAvsenderidentifikator = true
        /// `language`: the language of messages whose receiver record and business message name none.
        public var language = "NO"
        /// `priority`: accepted for compatibility (the JSON API has no priority).
        public var priority = "NORMAL"
        public var printSettings = PrintSettings()
        /// `clientMaxConnectionPoolSize`.
        public var clientMaxConnectionPoolSize = 10
        /// `certificate.mode`.
        public var certificateMode = CertificateMode.test
        /// `certificate.trusted-certificates`: a PEM file with further trust anchors for receipt signers (e.g. the
        /// sandbox's CA). Not an upstream key.
        public var trustedCertificatesPath: String?
        /// `timeout.connect`, `timeout.read`, `timeout.write` (plain numbers: milliseconds).
        public var connectTimeout = Duration.seconds(5)
        public var readTimeout = Duration.seconds(60)
        public var writeTimeout = Duration.seconds(60)
        /// `temporary-file-threshold`: document packages larger than this are kept in a temporary file.
        public var temporaryFileThreshold: Int64 = 1_000_000
        /// `temporary-file-directory`; the system's temporary directory when unset.
        public var temporaryFileDirectory: String?
        /// `initialBufferSize`.
        public var initialBufferSize = 100_000
        /// `pollingrate`: how often receipts are polled (plain number: milliseconds).
        public var pollingRate = Duration.seconds(10)
        /// `pageSize`: receipts asked for per poll (`page_size`).
        public var pageSize = 100
        /// `receipt-type`: `json`, the only kind left.
        public var receiptType = "json"
        /// `keystore.*`: signs the document package and the business message; the organisation keystore by default.
        public var keystore = Keystore(path: "", alias: nil, password: nil, type: .pkcs12, certificatePath: nil)
        public var oidc = OIDC()

        public init() {}

        /// The channels (MPCs) messages are spread over and receipts are polled from, as configured.
        public var channels: [String] {
            if let mpcIDList, !mpcIDList.isEmpty { return mpcIDList }
            guard mpcConcurrency > 1 else { return [mpcID] }
            return (0..<mpcConcurrency).map { "\(mpcID)-\($0)" }
        }
    }
}
