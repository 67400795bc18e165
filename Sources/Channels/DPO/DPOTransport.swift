import Foundation
import Logging

/// DPO over the Altinn 3 Broker, end to end for one organisation: pack + initialize + upload on send, and one
/// polling round (list → details → download → unpack → hand over → confirm) on receive (`internals.md` §2.1).
///
/// The engine drives it: its outbox calls `send`, and its DPO poller calls `receiveOnce` every
/// `difi.move.dpo.pollingrate` milliseconds.
public struct DPOTransport: Sendable {
    /// A downloaded transfer, unpacked. `encryptedAsic` is a temporary file the handler must move or copy;
    /// it is deleted after the handler returns.
    public struct IncomingTransfer: Sendable {
        public var fileTransferID: UUID
        public var overview: FileTransferOverview
        public var sbdJSON: Data
        public var encryptedAsic: URL?
    }

    /// What the handler did with an incoming transfer. Every disposition confirms the download;
    /// a handler that throws leaves the transfer unconfirmed, so the next round tries it again.
    public enum Disposition: Sendable, Equatable {
        case stored
        /// Already stored (same messageId): confirmed, not stored twice.
        case duplicate
        /// Not a valid SBD or otherwise unusable: confirmed and dropped, with the reason for the log.
        case rejected(String)
    }

    public struct Outcome: Sendable, Equatable {
        public var fileTransferID: UUID
        /// `nil` when the transfer was left for the next round (the handler or the confirm failed).
        public var disposition: Disposition?
        public var error: String?
    }

    public let broker: AltinnBrokerClient
    public let packer: DPOMessagePacker
    /// `difi.move.dpo.messageChannel`.
    public let messageChannel: String?
    private let temporaryDirectory: URL
    private let logger: Logger

    public init(broker: AltinnBrokerClient, temporaryDirectory: URL = FileManager.default.temporaryDirectory,
                messageChannel: String? = nil, logger: Logger = Logger(label: "dpo")) {
        self.broker = broker
        self.packer = DPOMessagePacker(temporaryDirectory: temporaryDirectory)
        self.temporaryDirectory = temporaryDirectory
        self.messageChannel = messageChannel
        self.logger = logger
    }

    /// Packs `sbd.zip` and uploads it to `receiver`; answers the file transfer id.
    ///
    /// - Parameters:
    ///   - container: writes the signed ASiC-E; `nil` for messages without files (status messages).
    ///   - receiverCertificateDER: the receiver's certificate from the service registry (required with a container).
    ///   - sendersFileTransferReference: a fresh UUID by default; a status for a message that came with a message
    ///     channel passes that channel.
    public func send(sbdJSON: Data, receiver: String, container: DPOMessagePacker.ContainerWriter?,
                     receiverCertificateDER: Data?, sendersFileTransferReference: String = UUID().uuidString) async throws -> UUID {
        let transferFile = temporaryDirectory.appendingPathComponent("sbd-\(UUID().uuidString).zip")
        defer { try? FileManager.default.removeItem(at: transferFile) }
        if let container {
            guard let receiverCertificateDER else {
                throw AltinnBrokerError(operation: "pack", status: 400, detail: "the receiver's certificate is missing in the service record")
            }
            try packer.pack(sbdJSON: sbdJSON, container: container, receiverCertificateDER: receiverCertificateDER, to: transferFile)
        } else {
            try packer.packWithoutFiles(sbdJSON: sbdJSON, to: transferFile)
        }
        let id = try await broker.initializeFileTransfer(recipient: receiver, sendersFileTransferReference: sendersFileTransferReference,
                                                         fileName: DPOMessagePacker.transferFileName)
        try await broker.upload(fileTransferID: id, contentsOf: transferFile)
        return id
    }

    /// One polling round. Listing failures throw; failures of single transfers are reported in the outcomes and
    /// do not stop the round.
    public func receiveOnce(handle: @Sendable (IncomingTransfer) async throws -> Disposition) async throws -> [Outcome] {
        let ids = try await broker.publishedFileTransfers()
        var transfers: [(UUID, FileTransferOverview)] = []
        for id in ids {
            do {
                let overview = try await broker.fileTransfer(id)
                let ours = overview.recipients?.first { $0.recipient == AltinnBrokerConfiguration.party(broker.configuration.organisationNumber) }
                // Only transfers to us (the broker also lists our own sends), and not those we have confirmed.
                guard let ours, ours.currentRecipientFileTransferStatusCode != "DownloadConfirmed" else { continue }
                if accepts(reference: overview.sendersFileTransferReference) { transfers.append((id, overview)) }
            } catch {
                logger.warning("DPO: cannot read file transfer \(id): \(error)")
            }
        }
        transfers.sort { ($0.1.createdDate ?? .distantPast) < ($1.1.createdDate ?? .distantPast) }

        var outcomes: [Outcome] = []
        for (id, overview) in transfers {
            outcomes.append(await receive(id, overview: overview, handle: handle))
        }
        return outcomes
    }

    /// Polls until the task is cancelled: one `receiveOnce` round, then a pause of `interval`
    /// (`difi.move.dpo.pollingrate`). A failed round (broker unreachable, token refused) is logged and the
    /// loop goes on. Run it in the engine's service group; cancelling the task ends it.
    public func poll(every interval: Duration, handle: @escaping @Sendable (IncomingTransfer) async throws -> Disposition) async {
        while !Task.isCancelled {
            do {
                _ = try await receiveOnce(handle: handle)
            } catch {
                logger.warning("DPO: polling the broker failed, trying again in \(interval): \(error)")
            }
            do { try await Task.sleep(for: interval) } catch { return }
        }
    }

    private func receive(_ id: UUID, overview: FileTransferOverview,
                         handle: @Sendable (IncomingTransfer) async throws -> Disposition) async -> Outcome {
        let zip = temporaryDirectory.appendingPathComponent("incoming-\(id.uuidString.lowercased()).zip")
        let asic = temporaryDirectory.appendingPathComponent("incoming-\(id.uuidString.lowercased()).asic")
        defer {
            try? FileManager.default.removeItem(at: zip)
            try? FileManager.default.removeItem(at: asic)
        }
        let disposition: Disposition
        do {
            try await broker.download(id, to: zip)
        } catch {
            logger.warning("DPO: download of \(id) failed, trying again next round: \(error)")
            return Outcome(fileTransferID: id, disposition: nil, error: "\(error)")
        }
        do {
            let unpacked = try DPOMessageUnpacker().unpack(zip, asicDestination: asic)
            do {
                disposition = try await handle(IncomingTransfer(fileTransferID: id, overview: overview, sbdJSON: unpacked.sbdJSON,
                                                                encryptedAsic: unpacked.encryptedAsic))
            } catch {
                logger.warning("DPO: storing \(id) failed, trying again next round: \(error)")
                return Outcome(fileTransferID: id, disposition: nil, error: "\(error)")
            }
        } catch {
            disposition = .rejected("\(error)")
        }
        if case .rejected(let reason) = disposition {
            logger.error("DPO: file transfer \(id) dropped: \(reason)")
        }
        do {
            try await broker.confirmDownload(id)
        } catch {
            logger.warning("DPO: confirming \(id) failed, it will come again: \(error)")
            return Outcome(fileTransferID: id, disposition: nil, error: "\(error)")
        }
        return Outcome(fileTransferID: id, disposition: disposition, error: nil)
    }

    /// The upstream's message-channel filter: with a channel, only transfers carrying it; without one, none that
    /// look like a channel (`^[a-zA-Z0-9-_]{0,25}$`; a UUID is longer).
    func accepts(reference: String?) -> Bool {
        if let messageChannel { return reference == messageChannel }
        guard let reference else { return true }
        return reference.range(of: "^[a-zA-Z0-9_-]{0,25}$", options: .regularExpression) == nil
    }
}
