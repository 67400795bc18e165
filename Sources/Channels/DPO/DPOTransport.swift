#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Logging

/// DPO over the Altinn 3 Broker, end to end for one organisation: pack + initialize + upload on send, and one
/// polling round (list → details → download → unpack → hand over → confirm) on receive (`internals.md` §2.1).
///
/// The engine drives it: its outbox calls `send`, and its DPO poller calls `receiveOnce` every
/// `difi.move.dpo.pollingrate` milliseconds.
public struct DPOTransport: Sendable {
    /// A downloaded transfer, unpacked. `encryptedAsic` is the container still encrypted: in memory for a small
    /// transfer, else a temporary file the handler must move or copy, deleted after the handler returns.
    public struct IncomingTransfer: Sendable {
        public var fileTransferID: UUID
        public var overview: FileTransferOverview
        public var sbdJSON: Data
        public var encryptedAsic: EncryptedAsic?
    }

    /// The encrypted container of an incoming transfer.
    public enum EncryptedAsic: Sendable {
        case memory(Data)
        case file(URL)

        /// The bytes as a stream of chunks, read on demand from a file.
        public func chunks() throws -> AsyncThrowingStream<[UInt8], any Error> {
            switch self {
            case .file(let url):
                return try FileByteStream.open(url)
            case .memory(let data):
                return AsyncThrowingStream { continuation in
                    continuation.yield([UInt8](data))
                    continuation.finish()
                }
            }
        }

        /// All the bytes (for tests and small containers).
        public func data() throws -> Data {
            switch self {
            case .memory(let data): data
            case .file(let url): try Data(contentsOf: url)
            }
        }
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
    /// How many transfers one round reads, downloads and hands over at the same time.
    public let concurrentTransfers: Int
    private let temporaryDirectory: URL
    private let logger: Logger

    public init(broker: AltinnBrokerClient, temporaryDirectory: URL = FileManager.default.temporaryDirectory,
                messageChannel: String? = nil, concurrentTransfers: Int = 4, logger: Logger = Logger(label: "dpo")) {
        self.broker = broker
        self.concurrentTransfers = max(concurrentTransfers, 1)
        self.packer = DPOMessagePacker(temporaryDirectory: temporaryDirectory)
        self.temporaryDirectory = temporaryDirectory
        self.messageChannel = messageChannel
        self.logger = logger
    }

    /// Messages whose files together are at most this many bytes are packed and uploaded from memory; larger ones
    /// stream through temporary files. A packed message is held about three times over (the files, the container,
    /// `sbd.zip`) by each of the outbox's concurrent jobs, so the limit stays small.
    public static let inMemoryLimit: Int64 = 1 << 20

    /// Packs `sbd.zip` and uploads it to `receiver`; answers the file transfer id.
    ///
    /// - Parameters:
    ///   - containerSize: the size of the files in the container, when known; at most `inMemoryLimit` packs in
    ///     memory.
    ///   - container: writes the signed ASiC-E; `nil` for messages without files (status messages).
    ///   - receiverCertificateDER: the receiver's certificate from the service registry (required with a container).
    ///   - sendersFileTransferReference: a fresh UUID by default; a status for a message that came with a message
    ///     channel passes that channel.
    public func send(sbdJSON: Data, receiver: String, container: DPOMessagePacker.ContainerWriter?,
                     receiverCertificateDER: Data?, containerSize: Int64? = nil,
                     sendersFileTransferReference: String = UUID().uuidString) async throws -> UUID {
        if container != nil, receiverCertificateDER == nil {
            throw AltinnBrokerError(operation: "pack", status: 400, detail: "the receiver's certificate is missing in the service record")
        }
        if container == nil || (containerSize ?? .max) <= Self.inMemoryLimit {
            let bytes = try packer.packInMemory(sbdJSON: sbdJSON, container: container,
                                                receiverCertificateDER: receiverCertificateDER)
            let id = try await broker.initializeFileTransfer(recipient: receiver, sendersFileTransferReference: sendersFileTransferReference,
                                                             fileName: DPOMessagePacker.transferFileName)
            try await broker.upload(fileTransferID: id, bytes: bytes)
            return id
        }
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
    /// do not stop the round. Up to `concurrentTransfers` transfers are read, downloaded and handed over at once;
    /// each is still confirmed only after its handler returned.
    ///
    /// Only transfers to us that we have not confirmed are listed (`recipientStatus` Initialized, then
    /// DownloadStarted — a transfer downloaded but not confirmed, after a crash or a failed store, comes again).
    /// Without the filter the broker also lists our own sends until their receivers confirm them, and every round
    /// would read the details of each of those again: work that grew with the backlog, on both sides and at the broker.
    public func receiveOnce(handle: @escaping @Sendable (IncomingTransfer) async throws -> Disposition) async throws -> [Outcome] {
        var ids: [UUID] = []
        for recipientStatus in ["Initialized", "DownloadStarted"] {
            for id in try await broker.publishedFileTransfers(recipientStatus: recipientStatus) where !ids.contains(id) {
                ids.append(id)
            }
        }
        let found = await BoundedConcurrency.map(ids, limit: concurrentTransfers) { id -> (UUID, FileTransferOverview)? in
            do {
                let overview = try await broker.fileTransfer(id)
                let ours = overview.recipients?.first { $0.recipient == AltinnBrokerConfiguration.party(broker.configuration.organisationNumber) }
                // Only transfers to us, and not those we have confirmed meanwhile.
                guard let ours, ours.currentRecipientFileTransferStatusCode != "DownloadConfirmed" else { return nil }
                return accepts(reference: overview.sendersFileTransferReference) ? (id, overview) : nil
            } catch {
                logger.warning("DPO: cannot read file transfer \(id): \(error)")
                return nil
            }
        }
        let transfers = found.compactMap { $0 }
            .sorted { ($0.1.createdDate ?? .distantPast) < ($1.1.createdDate ?? .distantPast) }
        return await receive(transfers, handle: handle)
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

    /// A transfer downloaded and unpacked, or what stopped it.
    private enum Fetched: Sendable {
        case unpacked(IncomingTransfer)
        case unusable(String)
        case failed(Outcome)
    }

    /// Downloads and unpacks transfers, up to `concurrentTransfers` at a time, and hands over those with a
    /// container as each is ready. Those without one — status receipts, whose order matters (MOTTATT before
    /// LEVERT) and which cost little — are handed over afterwards one by one, oldest first.
    private func receive(_ transfers: [(UUID, FileTransferOverview)],
                         handle: @escaping @Sendable (IncomingTransfer) async throws -> Disposition) async -> [Outcome] {
        let first = await BoundedConcurrency.map(transfers, limit: concurrentTransfers) { transfer -> (Outcome?, IncomingTransfer?) in
            switch await fetch(transfer.0, overview: transfer.1) {
            case .failed(let outcome): return (outcome, nil)
            case .unusable(let reason): return (await settle(transfer.0, .rejected(reason)), nil)
            case .unpacked(let incoming) where incoming.encryptedAsic != nil:
                return (await hand(incoming, to: handle), nil)
            case .unpacked(let incoming): return (nil, incoming)
            }
        }
        var outcomes: [Outcome] = []
        for (outcome, waiting) in first {
            if let outcome { outcomes.append(outcome) }
            if let waiting { outcomes.append(await hand(waiting, to: handle)) }
        }
        return outcomes
    }

    private func files(_ id: UUID) -> (zip: URL, asic: URL) {
        (temporaryDirectory.appendingPathComponent("incoming-\(id.uuidString.lowercased()).zip"),
         temporaryDirectory.appendingPathComponent("incoming-\(id.uuidString.lowercased()).asic"))
    }

    /// Removes a round's temporary files with plain `unlink`: `FileManager.removeItem` inspects the path first and
    /// costs several system calls more, for every transfer (and the `.asic` of a receipt never exists).
    private func removeFiles(_ id: UUID) {
        let (zip, asic) = files(id)
        for url in [zip, asic] { _ = url.withUnsafeFileSystemRepresentation { $0.map { unlink($0) } } }
    }

    /// Downloads and unpacks one transfer: in memory when it is at most `inMemoryLimit` bytes (no temporary files
    /// for a status receipt or a small message), through temporary files otherwise.
    private func fetch(_ id: UUID, overview: FileTransferOverview) async -> Fetched {
        let (zip, asic) = files(id)
        let downloaded: AltinnBrokerClient.Downloaded
        do {
            downloaded = try await broker.download(id, inMemoryUpTo: Int(Self.inMemoryLimit), spillingTo: zip)
        } catch {
            removeFiles(id)
            logger.warning("DPO: download of \(id) failed, trying again next round: \(error)")
            return .failed(Outcome(fileTransferID: id, disposition: nil, error: "\(error)"))
        }
        do {
            switch downloaded {
            case .memory(let bytes):
                let unpacked = try DPOMessageUnpacker().unpack(bytes)
                return .unpacked(IncomingTransfer(fileTransferID: id, overview: overview, sbdJSON: unpacked.sbdJSON,
                                                  encryptedAsic: unpacked.encryptedAsic.map { .memory($0) }))
            case .file:
                defer { _ = zip.withUnsafeFileSystemRepresentation { $0.map { unlink($0) } } }
                let unpacked = try DPOMessageUnpacker().unpack(zip, asicDestination: asic)
                return .unpacked(IncomingTransfer(fileTransferID: id, overview: overview, sbdJSON: unpacked.sbdJSON,
                                                  encryptedAsic: unpacked.encryptedAsic.map { .file($0) }))
            }
        } catch {
            removeFiles(id)
            return .unusable("\(error)")
        }
    }

    /// Hands the transfer to the handler, then confirms it; the temporary files go either way.
    private func hand(_ transfer: IncomingTransfer,
                      to handle: @escaping @Sendable (IncomingTransfer) async throws -> Disposition) async -> Outcome {
        let id = transfer.fileTransferID
        defer { if case .file = transfer.encryptedAsic { removeFiles(id) } }
        let disposition: Disposition
        do {
            disposition = try await handle(transfer)
        } catch {
            logger.warning("DPO: storing \(id) failed, trying again next round: \(error)")
            return Outcome(fileTransferID: id, disposition: nil, error: "\(error)")
        }
        return await settle(id, disposition)
    }

    /// Confirms the download (every disposition does), logging a rejection.
    private func settle(_ id: UUID, _ disposition: Disposition) async -> Outcome {
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
        let looksLikeChannel = reference.utf8.count <= 25 && reference.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"): true
            default: false
            }
        }
        return !looksLikeChannel
    }
}
