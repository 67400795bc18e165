import Foundation
import Model

/// The sending side of a transport (DPO, DPV, DPF, DPE, DPI, or a test double).
///
/// Channels own their wire format: they get the SBD as JSON and the files as decrypted streams and do the packing
/// (ASiC-E, CMS, multipart forms) and the network calls themselves. The engine owns everything around the call:
/// the outbox, retries, the time to live, and the statuses the ``SendReceipt`` asks for.
///
/// A channel is one folder in `Channels/` (its clients), one in the executable's `Wiring/` (this protocol's
/// implementation and its construction from the configuration) and one in `Sandbox/` (its local twin).
public protocol MessageChannel: Sendable {
    var serviceIdentifier: ServiceIdentifier { get }

    /// Channel defaults filled in when a message is created, after the general ones and before any rule is checked
    /// (`nextmove-api.md` §3.4 item 7: a print letter to a citizen gets the registry's postal and return addresses
    /// where the client gave none). The default changes nothing.
    func applyDefaults(to sbd: inout StandardBusinessDocument) async throws

    /// Channel rules checked when a message is created, after the defaults are filled in (`internals.md` §3.1
    /// step 3: e.g. DPF needs `sikkerhetsnivaa`, a print letter needs addresses). Throw a `NextMoveError` (400)
    /// that says what to change. The default checks nothing.
    func checkCreate(_ sbd: StandardBusinessDocument) async throws

    /// Delivers one message. Throw ``ChannelError/permanent(_:)`` when retrying cannot help, anything else to
    /// retry on the normal schedule.
    func send(_ delivery: OutgoingDelivery) async throws -> SendReceipt
}

extension MessageChannel {
    public func applyDefaults(to sbd: inout StandardBusinessDocument) async throws {}
    public func checkCreate(_ sbd: StandardBusinessDocument) async throws {}
}

/// What the engine records after a channel accepted a message, in the same transaction as `SENDT`.
public struct SendReceipt: Sendable, Equatable {
    /// The channel's id of the message (DPV correspondenceId, DPF forsendelseId, …), kept as the conversation's
    /// `externalSystemReference` for status polling.
    public var externalReference: String?
    /// Statuses recorded right after SENDT: `[.LEVERT]` where the channel guarantees delivery (DPF), or
    /// `[.LEVERT, .LEST]` for a receipt that a channel takes no further (`*_kvittering` to DPV/DPF).
    public var followingStatuses: [ReceiptStatus]
    /// Whether the status poller should follow the conversation from now on (DPV, DPF, DPI).
    public var pollsStatus: Bool
    /// Ends the conversation without further statuses (`finished`, not pollable): the channel knows the message
    /// went out but cannot follow it (DPV: a 409 whose correspondence cannot be found again).
    public var finishes: Bool

    public init(externalReference: String? = nil, followingStatuses: [ReceiptStatus] = [], pollsStatus: Bool = false,
                finishes: Bool = false) {
        self.externalReference = externalReference
        self.followingStatuses = followingStatuses
        self.pollsStatus = pollsStatus
        self.finishes = finishes
    }

    /// Sent; nothing more to record (DPO, DPE: the receiving side reports back with status messages).
    public static let sent = SendReceipt()
}

/// What a channel gets to deliver.
public struct OutgoingDelivery: Sendable {
    public var messageId: String
    public var conversationId: String
    public var serviceIdentifier: ServiceIdentifier
    /// The SBD as JSON text.
    public var sbd: String
    /// Whether this is a status receipt rather than a business message.
    public var isStatus: Bool
    /// The files in upload order, primary document first.
    public var files: [DeliveryFile]

    public init(messageId: String, conversationId: String, serviceIdentifier: ServiceIdentifier, sbd: String,
                isStatus: Bool, files: [DeliveryFile]) {
        self.messageId = messageId
        self.conversationId = conversationId
        self.serviceIdentifier = serviceIdentifier
        self.sbd = sbd
        self.isStatus = isStatus
        self.files = files
    }
}

/// One file of an outgoing message, opened on demand as a stream of decrypted bytes.
public struct DeliveryFile: Sendable {
    public var filename: String
    public var title: String?
    public var mimeType: String
    public var size: Int64
    public var primaryDocument: Bool
    /// 1-based upload order (`dokumentnummer`).
    public var dokumentnummer: Int
    public var open: @Sendable () throws -> AsyncThrowingStream<[UInt8], any Error>

    public init(filename: String, title: String?, mimeType: String, size: Int64, primaryDocument: Bool,
                dokumentnummer: Int = 0,
                open: @escaping @Sendable () throws -> AsyncThrowingStream<[UInt8], any Error>) {
        self.filename = filename
        self.title = title
        self.mimeType = mimeType
        self.size = size
        self.primaryDocument = primaryDocument
        self.dokumentnummer = dokumentnummer
        self.open = open
    }

    /// Reads the whole file (for small files only: arkivmelding.xml, metadata).
    public func readAll(limit: Int = 16 << 20) async throws -> Data {
        var data = Data()
        for try await chunk in try open() {
            data.append(contentsOf: chunk)
            if data.count > limit { throw ChannelError.permanent("\(filename) is larger than \(limit) bytes.") }
        }
        return data
    }
}

/// How a delivery failed.
public enum ChannelError: Error, CustomStringConvertible {
    /// Worth retrying (network, 5xx, timeouts).
    case transient(String)
    /// Retrying cannot help (the receiver refuses, the message is malformed for the channel).
    case permanent(String)

    public var description: String {
        switch self {
        case .transient(let text), .permanent(let text): text
        }
    }
}
