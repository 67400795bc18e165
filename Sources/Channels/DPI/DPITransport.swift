import Crypto
import Foundation
import Logging
import Model
import Packaging
import Synchronization

/// DPI end to end for one integration point (`internals.md` §2.6): pack and send a letter on a channel, read a
/// letter's statuses at corner 2, and poll the receipts of every channel.
///
/// The engine's adapters drive it: the outbox calls `send`, the status poller `statuses`, the receipt poller
/// `receiveReceipts`.
public struct DPITransport: Sendable {
    /// What became of one item of `messages/in`.
    public enum ReceiptOutcome: Sendable, Equatable {
        /// Verified, handed over, and marked read.
        case applied(DPIReceipt)
        /// The signature or certificate did not verify, or the item is not a receipt: left unread and not applied.
        case refused(reason: String)
        /// Verified, but the handler or the read marking failed: left for the next round.
        case failed(DPIReceipt, reason: String)
    }

    public let client: Corner2Client
    public let packer: DPIMessagePacker
    public let tokens: any DPITokenSource
    public let channels: DPIChannels
    /// Who may sign receipts (`difi.move.dpi.certificate.mode` and `trusted-certificates`).
    public let trust: CertificateTrust
    /// `difi.move.dpi.avsenderidentifikatorListe`.
    public let avsenderidentifikatorer: [String]
    /// `difi.move.dpi.pollWithoutAvsenderidentifikator`.
    public let pollWithoutAvsenderidentifikator: Bool
    private let logger: Logger
    /// Receipts already reported as refused: they stay at corner 2 and come back every round, but are logged once.
    private let refused = RefusedReceipts()

    public init(client: Corner2Client, packer: DPIMessagePacker, tokens: any DPITokenSource, channels: DPIChannels,
                trust: CertificateTrust, avsenderidentifikatorer: [String] = [], pollWithoutAvsenderidentifikator: Bool = true,
                logger: Logger = Logger(label: "dpi")) {
        self.client = client
        self.packer = packer
        self.tokens = tokens
        self.channels = channels
        self.trust = trust
        self.avsenderidentifikatorer = avsenderidentifikatorer
        self.pollWithoutAvsenderidentifikator = pollWithoutAvsenderidentifikator
        self.logger = logger
    }

    // MARK: Send

    /// Packs and sends the shipment on the next channel; answers the channel used. A 401 renews the token (which
    /// the forretningsmelding carries too) and sends once more.
    @discardableResult
    public func send(_ shipment: DPIShipment, now: Date) async throws -> String {
        let channel = channels.next()
        let package = try packer.documentPackage(for: shipment, signingTime: now)
        defer { package.remove() }
        for attempt in 1...2 {
            let token = try await token(for: shipment.consumerOrganisation)
            let jwt = try packer.forretningsmeldingJWT(for: shipment, package: package, maskinportentoken: token)
            do {
                try await client.send(forretningsmelding: jwt, dokumentpakke: package, channel: channel, token: token)
                logger.info("DPI letter sent", metadata: [
                    "messageId": "\(shipment.forretningsmelding.messageId)", "kanal": "\(channel)",
                    "type": "\(shipment.forretningsmelding.body.type.rawValue)", "bytes": "\(package.size)",
                ])
                return channel
            } catch let error as DPIError where error.status == 401 && attempt == 1 {
                await tokens.invalidate()
            }
        }
        throw DPIError.corner2(operation: "send (messages/out)", status: 401, detail: "the token was refused twice")
    }

    // MARK: Statuses

    /// The letter's statuses at corner 2 (`messages/out/{id}/statuses`).
    public func statuses(messageId: String) async throws -> [Corner2Client.MessageStatus] {
        let token = try await token(for: nil)
        do {
            return try await client.statuses(messageId: messageId, token: token)
        } catch let error as DPIError where error.status == 401 {
            await tokens.invalidate()
            return try await client.statuses(messageId: messageId, token: try await self.token(for: nil))
        }
    }

    // MARK: Receipts

    /// One polling round over every channel: without sender identifier (when configured) and once per
    /// `avsenderidentifikatorListe` entry. Each verified receipt goes to `handle`; it is marked read only after
    /// `handle` returned, so a crash in between means the receipt comes again (the status registration is
    /// idempotent). Receipts that do not verify are logged and left alone.
    public func receiveReceipts(at time: @Sendable () -> Date = { Date() },
                                handle: @Sendable (DPIReceipt) async throws -> Void) async throws -> [ReceiptOutcome] {
        var senders: [String?] = pollWithoutAvsenderidentifikator ? [nil] : []
        senders += avsenderidentifikatorer.map { Optional($0) }
        var outcomes: [ReceiptOutcome] = []
        for channel in channels.names {
            for sender in senders {
                let token = try await token(for: nil)
                let items = try await client.receivedMessages(channel: channel, avsenderidentifikator: sender, token: token)
                for item in items {
                    outcomes.append(await receive(item, channel: channel, token: token, at: time(), handle: handle))
                }
            }
        }
        return outcomes
    }

    private func receive(_ item: Corner2Client.ReceivedMessage, channel: String, token: String, at time: Date,
                         handle: @Sendable (DPIReceipt) async throws -> Void) async -> ReceiptOutcome {
        let receipt: DPIReceipt
        do {
            receipt = try await DPIReceipt.read(item.forretningsmelding, trust: trust, at: time)
        } catch {
            if refused.isNew(item.forretningsmelding) {
                logger.error("DPI receipt refused: not applied and left unread at corner 2", metadata: [
                    "kanal": "\(channel)", "reason": "\(error)",
                ])
            }
            return .refused(reason: "\(error)")
        }
        do {
            try await handle(receipt)
            try await client.markAsRead(messageId: receipt.messageId, token: token)
            return .applied(receipt)
        } catch {
            logger.warning("DPI receipt not completed; it is tried again in the next round", metadata: [
                "kanal": "\(channel)", "conversationId": "\(receipt.conversationId)", "reason": "\(error)",
            ])
            return .failed(receipt, reason: "\(error)")
        }
    }

    private func token(for consumer: String?) async throws -> String {
        do {
            return try await tokens.token(consumerOrganisation: consumer)
        } catch let error as TokenError {
            throw DPIError.corner2(operation: "authenticate (Maskinporten, scope digitalpostinnbygger:send)",
                                   status: error.isTransient ? nil : error.status, detail: error.description)
        }
    }
}

/// Remembers the receipts refused so far (by the SHA-256 of the signed text), at most the last 10 000.
final class RefusedReceipts: Sendable {
    private let seen = Mutex<(set: Set<Data>, order: [Data])>(([], []))

    /// True the first time a receipt is refused.
    func isNew(_ jwt: String) -> Bool {
        let key = Data(SHA256.hash(data: Data(jwt.utf8)))
        return seen.withLock { seen in
            guard seen.set.insert(key).inserted else { return false }
            seen.order.append(key)
            if seen.order.count > 10_000 { seen.set.remove(seen.order.removeFirst()) }
            return true
        }
    }
}
