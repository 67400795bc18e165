import Foundation
import Logging
import Synchronization
import Engine
import Model
import Storage

/// An engine on a temporary SQLite store and payload folder, with a manual clock and recording doubles.
public struct EngineFixture: Sendable {
    public static let ownOrg = "910077473"
    public static let receiverOrg = "910075918"
    public static let process = "urn:no:difi:profile:arkivmelding:administrasjon:ver1.0"
    public static let documentType = "urn:no:difi:arkivmelding:xsd::arkivmelding"

    public let store: SQLiteMessageStore
    public let payloads: PayloadVault
    public let time: ManualTimeSource
    public let channel: RecordingChannel
    public let pusher: RecordingPusher
    public let settings: EngineSettings
    public let registrar: StatusRegistrar
    public let outgoing: OutgoingMessageService
    public let incoming: IncomingMessageService
    public let worker: OutboxWorker
    public let sweeper: ExpirySweeper
    public let webhooks: WebhookDispatcher
    public let subscriptions: SubscriptionService
    public let root: URL

    public init(configure: (inout EngineSettings) -> Void = { _ in }) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("engine-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        store = try SQLiteMessageStore(path: root.appendingPathComponent("ip.sqlite").path)
        payloads = PayloadVault(store: try FilePayloadStore(root: root.appendingPathComponent("messages")),
                                cipher: PlainPayloadCipher())
        time = ManualTimeSource(Date(timeIntervalSince1970: 1_750_000_000))
        channel = RecordingChannel()
        pusher = RecordingPusher()
        var settings = EngineSettings(orgNumber: Self.ownOrg)
        settings.enabledServices = [.DPO]
        configure(&settings)
        self.settings = settings
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        registrar = StatusRegistrar(settings: settings, logger: logger)
        let wakeUp = WakeUpSignal()
        let registry = StaticServiceRecords([
            .init(receiver: Self.receiverOrg, process: Self.process, documentTypes: [Self.documentType], serviceIdentifier: .DPO),
        ])
        outgoing = OutgoingMessageService(store: store, payloads: payloads, registry: registry, registrar: registrar,
                                          settings: settings, time: time, wakeUp: wakeUp, logger: logger)
        incoming = IncomingMessageService(store: store, payloads: payloads, registrar: registrar, settings: settings,
                                          time: time, wakeUp: wakeUp, logger: logger)
        worker = OutboxWorker(store: store, payloads: payloads, channels: ChannelDirectory([channel]),
                              registrar: registrar, settings: settings, time: time, logger: logger, wakeUp: wakeUp)
        sweeper = ExpirySweeper(store: store, payloads: payloads, registrar: registrar, settings: settings,
                                time: time, logger: logger)
        webhooks = WebhookDispatcher(store: store, pusher: pusher, settings: settings, time: time, logger: logger,
                                     wakeUp: WakeUpSignal())
        subscriptions = SubscriptionService(store: store, pusher: pusher, settings: settings, time: time)
    }

    /// An arkivmelding SBD from us to the receiver, expiring `ttl` seconds after the fixture's clock.
    public func arkivmelding(messageId: String = UUID().uuidString.lowercased(), ttl: TimeInterval = 3600) throws -> StandardBusinessDocument {
        let expiry = OsloTime.format(time.now.addingTimeInterval(ttl))
        let json = """
        {
          "standardBusinessDocumentHeader": {
            "headerVersion": "1.0",
            "sender": [ { "identifier": { "authority": "iso6523-actorid-upis", "value": "0192:\(Self.ownOrg)" } } ],
            "receiver": [ { "identifier": { "authority": "iso6523-actorid-upis", "value": "0192:\(Self.receiverOrg)" } } ],
            "documentIdentification": {
              "standard": "\(Self.documentType)", "typeVersion": "2.0",
              "instanceIdentifier": "\(messageId)", "type": "arkivmelding"
            },
            "businessScope": { "scope": [ {
              "type": "ConversationId", "instanceIdentifier": "\(UUID().uuidString.lowercased())",
              "identifier": "\(Self.process)",
              "scopeInformation": [ { "expectedResponseDateTime": "\(expiry)" } ]
            } ] }
          },
          "arkivmelding": { "sikkerhetsnivaa": 3, "hoveddokument": "arkivmelding.xml" }
        }
        """
        return try StandardBusinessDocument.decode(from: Data(json.utf8))
    }

    public static let arkivmeldingXML = """
    <?xml version="1.0" encoding="UTF-8"?>
    <arkivmelding xmlns="http://www.arkivverket.no/standarder/noark5/arkivmelding">
      <mappe xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="saksmappe">
        <systemID>sak-1</systemID>
        <registrering xsi:type="journalpost">
          <offentligTittel>Vedtak om tilskudd</offentligTittel>
          <journalpostnummer>7</journalpostnummer>
          <dokumentbeskrivelse><dokumentobjekt><referanseDokumentfil>vedtak.pdf</referanseDokumentfil></dokumentobjekt></dokumentbeskrivelse>
        </registrering>
      </mappe>
    </arkivmelding>
    """

    /// Creates the message, uploads arkivmelding.xml and vedtak.pdf, and sends it.
    @discardableResult
    public func createAndSend(ttl: TimeInterval = 3600) async throws -> String {
        let sbd = try arkivmelding(ttl: ttl)
        let created = try await outgoing.create(sbd)
        guard let messageId = created.messageId else { throw FixtureError("create returned no messageId") }
        try await upload(messageId, "arkivmelding.xml", Array(Self.arkivmeldingXML.utf8), type: "application/xml")
        try await upload(messageId, "vedtak.pdf", Array(repeating: 0x25, count: 10_000), type: "application/pdf")
        try await outgoing.send(messageId: messageId)
        return messageId
    }

    public func upload(_ messageId: String, _ filename: String, _ bytes: [UInt8], type: String) async throws {
        try await outgoing.upload(messageId: messageId,
                                  file: UploadedFile(filename: filename, title: filename, contentType: type,
                                                     declaredSize: Int64(bytes.count)),
                                  content: Chunks(bytes))
    }

    public func statuses(_ messageId: String, _ direction: ConversationDirection = .OUTGOING) async throws -> [ReceiptStatus] {
        let conversation = try await store.read { tx in try tx.conversation(messageId: messageId, direction: direction) }
        return (conversation?.messageStatuses ?? []).sorted { $0.id < $1.id }.map(\.status)
    }
}

/// Bytes as an async sequence of chunks.
public struct Chunks: AsyncSequence, Sendable {
    public typealias Element = [UInt8]
    let bytes: [UInt8]
    let size: Int

    public init(_ bytes: [UInt8], size: Int = 4096) {
        self.bytes = bytes
        self.size = size
    }

    public func makeAsyncIterator() -> AsyncStream<[UInt8]>.Iterator {
        let bytes = self.bytes
        let size = self.size
        return AsyncStream<[UInt8]> { continuation in
            var index = 0
            while index < bytes.count {
                continuation.yield(Array(bytes[index..<Swift.min(index + size, bytes.count)]))
                index += size
            }
            continuation.finish()
        }.makeAsyncIterator()
    }
}

/// A channel that records deliveries (with their file contents), fails on demand, and answers a chosen receipt.
public final class RecordingChannel: MessageChannel {
    public struct Delivered: Sendable {
        public var delivery: OutgoingDelivery
        public var contents: [String: [UInt8]]
    }

    public let serviceIdentifier: ServiceIdentifier
    private let state = Mutex<(delivered: [Delivered], failures: [ChannelError], receipt: SendReceipt)>(([], [], .sent))

    public init(serviceIdentifier: ServiceIdentifier = .DPO) {
        self.serviceIdentifier = serviceIdentifier
    }

    /// What the following sends answer.
    public func answer(_ receipt: SendReceipt) { state.withLock { $0.receipt = receipt } }

    public var delivered: [Delivered] { state.withLock { $0.delivered } }

    public func failNext(_ errors: ChannelError...) {
        state.withLock { $0.failures.append(contentsOf: errors) }
    }

    public func send(_ delivery: OutgoingDelivery) async throws -> SendReceipt {
        if let failure = state.withLock({ $0.failures.isEmpty ? nil : $0.failures.removeFirst() }) { throw failure }
        var contents: [String: [UInt8]] = [:]
        for file in delivery.files {
            var bytes: [UInt8] = []
            for try await chunk in try file.open() { bytes.append(contentsOf: chunk) }
            contents[file.filename] = bytes
        }
        return state.withLock {
            $0.delivered.append(Delivered(delivery: delivery, contents: contents))
            return $0.receipt
        }
    }
}

/// A webhook pusher that records pushes and fails the first `failures` of them.
public final class RecordingPusher: WebhookPusher {
    public init() {}
    private let state = Mutex<(pushed: [(String, String)], failures: Int)>(([], 0))

    public var pushed: [(endpoint: String, json: String)] { state.withLock { $0.pushed.map { ($0.0, $0.1) } } }

    public func fail(times: Int) { state.withLock { $0.failures = times } }

    public func push(json: String, to endpoint: String, timeout: TimeInterval) async throws {
        let fail = state.withLock { state -> Bool in
            if state.failures > 0 {
                state.failures -= 1
                return true
            }
            state.pushed.append((endpoint, json))
            return false
        }
        if fail { throw WebhookPushError("connection to \(endpoint) was refused") }
    }
}

public struct FixtureError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
