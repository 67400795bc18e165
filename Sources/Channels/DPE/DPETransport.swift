import Foundation
import Logging

/// DPE over the Azure Service Bus, end to end for one organisation: pack + send on the way out, and one polling
/// round (peek-lock → decode → hand over → complete) on the way in (`internals.md` §2.5).
public struct DPETransport: Sendable {
    /// A message read from our queue. `encryptedAsic` is a private temporary file the handler must move or copy;
    /// it is deleted after the handler returns.
    public struct IncomingMessage: Sendable {
        /// The bus's `MessageId` (not the SBD's messageId: the upstream lets Azure choose it).
        public var busMessageId: String
        public var deliveryCount: Int?
        public var sbdJSON: Data
        public var encryptedAsic: URL?
    }

    /// What the handler did with a message. Every disposition completes it on the bus; a handler that throws
    /// leaves it there (unlocked), so the next round tries it again.
    public enum Disposition: Sendable, Equatable {
        case stored
        /// Already stored (same messageId): completed, not stored twice.
        case duplicate
        /// Unusable (not a DPE payload, not a valid SBD, expired): completed and dropped, with the reason.
        case rejected(String)
    }

    public struct Outcome: Sendable, Equatable {
        public var busMessageId: String
        /// `nil` when the message stays on the bus for the next round (the handler or the complete failed).
        public var disposition: Disposition?
        public var error: String?
    }

    public let bus: ServiceBusClient
    public let naming: DPEQueueNaming
    public let packer: DPEMessagePacker
    /// `difi.move.nextmove.serviceBus.readMaxMessages`: messages taken per batch; batches follow each other while the
    /// queue has messages.
    public let readMaxMessages: Int
    private let temporaryDirectory: URL
    private let logger: Logger

    public init(bus: ServiceBusClient, naming: DPEQueueNaming, packer: DPEMessagePacker = DPEMessagePacker(),
                readMaxMessages: Int = 50, temporaryDirectory: URL = FileManager.default.temporaryDirectory,
                logger: Logger = Logger(label: "dpe")) {
        self.bus = bus
        self.naming = naming
        self.packer = packer
        self.readMaxMessages = max(1, readMaxMessages)
        self.temporaryDirectory = temporaryDirectory
        self.logger = logger
    }

    /// Packs the message and puts it on the receiver's queue; answers the queue's name.
    ///
    /// - Parameters:
    ///   - outgoing: what is sent, which decides the queue suffix (`DPEQueueNaming`).
    ///   - container: writes the signed ASiC-E; `nil` for messages without files (statuses, receipts).
    @discardableResult
    public func send(sbdJSON: Data, receiver: String, outgoing: DPEQueueNaming.Outgoing,
                     container: DPEMessagePacker.ContainerWriter?, receiverCertificateDER: Data?) async throws -> String {
        let queue = try naming.queue(for: outgoing, receiver: receiver)
        let body = try packer.payload(sbdJSON: sbdJSON, container: container, receiverCertificateDER: receiverCertificateDER)
        try await bus.send(body, to: queue)
        return queue
    }

    /// One polling round over our queue: batches of up to `readMaxMessages`, repeated while the queue has messages.
    /// A failed peek throws; a message that cannot be handled ends the round (it is unlocked and comes again next
    /// round), as does a message seen twice in the round (its complete did not take).
    public func receiveOnce(handle: @Sendable (IncomingMessage) async throws -> Disposition) async throws -> [Outcome] {
        var outcomes: [Outcome] = []
        var seen = Set<String>()
        while !Task.isCancelled {
            for _ in 0..<readMaxMessages {
                guard let message = try await bus.peekLock(naming.ownQueue) else { return outcomes }
                guard seen.insert(message.messageId).inserted else {
                    try? await bus.unlock(message)
                    return outcomes
                }
                let outcome = await receive(message, handle: handle)
                outcomes.append(outcome)
                if outcome.disposition == nil { return outcomes }
            }
        }
        return outcomes
    }

    private func receive(_ message: ServiceBusMessage, handle: @Sendable (IncomingMessage) async throws -> Disposition) async -> Outcome {
        let asic = temporaryDirectory.appendingPathComponent("dpe-incoming-\(UUID().uuidString.lowercased()).cms")
        defer { try? FileManager.default.removeItem(at: asic) }
        let disposition: Disposition
        switch decode(message) {
        case .failure(let reason):
            disposition = .rejected(reason.description)
            logger.error("DPE: bus message \(message.messageId) on \(message.queue) dropped: \(reason)")
        case .success(let decoded):
            do {
                var asicURL: URL?
                if let container = decoded.encryptedContainer {
                    try Self.writePrivately(container, to: asic)
                    asicURL = asic
                }
                disposition = try await handle(IncomingMessage(busMessageId: message.messageId, deliveryCount: message.deliveryCount,
                                                               sbdJSON: decoded.sbdJSON, encryptedAsic: asicURL))
            } catch {
                logger.warning("DPE: storing bus message \(message.messageId) failed, it stays on the queue for the next round: \(error)")
                try? await bus.unlock(message)
                return Outcome(busMessageId: message.messageId, disposition: nil, error: "\(error)")
            }
            if case .rejected(let reason) = disposition {
                logger.error("DPE: bus message \(message.messageId) on \(message.queue) dropped: \(reason)")
            }
        }
        do {
            try await bus.complete(message)
        } catch {
            logger.warning("DPE: completing bus message \(message.messageId) failed, it will come again once its lock runs out: \(error)")
            return Outcome(busMessageId: message.messageId, disposition: nil, error: "\(error)")
        }
        return Outcome(busMessageId: message.messageId, disposition: disposition, error: nil)
    }

    /// The payload, or why the message is unusable (which no retry changes).
    private func decode(_ message: ServiceBusMessage) -> Result<DPEPayload.Decoded, UnreadableMessage> {
        guard let body = message.body else {
            return .failure(UnreadableMessage("the message is \(message.bodyTooLarge ?? 0) bytes, more than the \(bus.configuration.maximumMessageBytes) bytes a DPE message may have"))
        }
        do {
            return .success(try DPEPayload.decode(body))
        } catch {
            return .failure(UnreadableMessage(error.description))
        }
    }

    private static func writePrivately(_ data: Data, to url: URL) throws {
        guard FileManager.default.createFile(atPath: url.path, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: url.path])
        }
    }

    private struct UnreadableMessage: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
