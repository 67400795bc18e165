extension IntegrasjonspunktConfiguration {
    /// DPE over the Azure Service Bus (`difi.move.nextmove.serviceBus.*`, `internals.md` §6.11). Used when
    /// `difi.move.feature.enableDPE=true`; `serviceBus.enable` is accepted but, as upstream, not what switches DPE on.
    public struct ServiceBus: Sendable, Equatable {
        public enum Mode: String, Sendable, Equatable, CaseIterable {
            case innsyn, data, meeting
        }

        /// `sasKeyName`: `MoveDPE-pilotPolicy` (production profile `MoveDPE-prodPolicy`).
        public var sasKeyName: String
        /// `sasToken`: the shared access key, used when `difi.move.oidc.enable=false` (otherwise the key comes from the
        /// service registry's `/sastoken`). `nil` when unset or left at the upstream placeholder `<token>`.
        public var sasToken: String?
        /// `mode`: the queue we read, `nextbestqueue<orgnr><mode>`.
        public var mode: Mode
        /// `baseUrl`: the namespace host (a port is allowed, no scheme).
        public var baseURL: String
        /// `useHttps`.
        public var useHTTPS: Bool
        /// `pollingrate`: how often our queue is read (plain number: milliseconds), 20 s by default.
        public var pollingRate: Duration
        /// `readMaxMessages`: messages taken per batch (50).
        public var readMaxMessages: Int
        /// `batchRead`: the upstream's AMQP reader; accepted, and the REST reader is used either way.
        public var batchRead: Bool
        /// `connectTimeout`: connect and response timeout of every call (plain number: milliseconds), 15 s.
        public var connectTimeout: Duration
        /// `receiptQueue`: the queue suffix statuses and einnsyn_kvittering go to, when set.
        public var receiptQueue: String?

        public init(sasKeyName: String = "MoveDPE-pilotPolicy", sasToken: String? = nil, mode: Mode = .innsyn,
                    baseURL: String = "efm-dpe-qa.servicebus.windows.net", useHTTPS: Bool = true,
                    pollingRate: Duration = .seconds(20), readMaxMessages: Int = 50, batchRead: Bool = false,
                    connectTimeout: Duration = .seconds(15), receiptQueue: String? = nil) {
            self.sasKeyName = sasKeyName
            self.sasToken = sasToken
            self.mode = mode
            self.baseURL = baseURL
            self.useHTTPS = useHTTPS
            self.pollingRate = pollingRate
            self.readMaxMessages = readMaxMessages
            self.batchRead = batchRead
            self.connectTimeout = connectTimeout
            self.receiptQueue = receiptQueue
        }
    }
}
