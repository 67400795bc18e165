import Foundation
import Model

/// A transport the engine hands outgoing messages to (DPO, DPV, …, or a test double).
///
/// Channels own their wire format: they receive the SBD as JSON and the files as decrypted streams and do the
/// packing (ASiC-E, CMS) and the network calls themselves.
public protocol MessageChannel: Sendable {
    var serviceIdentifier: ServiceIdentifier { get }
    /// Delivers one message. Throw `ChannelError.permanent` when retrying cannot help.
    func send(_ delivery: OutgoingDelivery) async throws
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
    public var open: @Sendable () throws -> AsyncThrowingStream<[UInt8], any Error>

    public init(filename: String, title: String?, mimeType: String, size: Int64, primaryDocument: Bool,
                open: @escaping @Sendable () throws -> AsyncThrowingStream<[UInt8], any Error>) {
        self.filename = filename
        self.title = title
        self.mimeType = mimeType
        self.size = size
        self.primaryDocument = primaryDocument
        self.open = open
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

/// The enabled channels by service identifier.
public struct ChannelDirectory: Sendable {
    private let channels: [ServiceIdentifier: any MessageChannel]

    public init(_ channels: [any MessageChannel]) {
        var map: [ServiceIdentifier: any MessageChannel] = [:]
        for channel in channels { map[channel.serviceIdentifier] = channel }
        self.channels = map
    }

    public func channel(for service: ServiceIdentifier) -> (any MessageChannel)? { channels[service] }
}
