import Foundation
import Logging
import Model
import Packaging

/// One polling round of SvarInn for every mailbox (ours and each `paaVegneAv` organisation): list, download,
/// decrypt and check each forsendelse (`SvarInnUnpacker`), write its `arkivmelding.xml` and SBD, pack the
/// documents into a signed ASiC-E encrypted to our own certificate — the form every incoming message is kept in —
/// and hand it to the engine. Only after the engine has stored it (or knows it already) is it answered with
/// `kvitterMottak`; a crash in between means SvarInn offers it again and the engine recognises the messageId.
/// A forsendelse that cannot be taken (damaged, altered, a zip bomb, refused by the engine) is answered with
/// `mottakFeilet` and its reason, and nothing of it is offered to the archive system.
public struct SvarInnReceiver: Sendable {
    /// A forsendelse converted and ready to store.
    public struct IncomingForsendelse: Sendable {
        public var forsendelse: SvarInnForsendelse
        public var mailbox: String
        public var sbd: StandardBusinessDocument
        /// The signed ASiC-E CMS-encrypted to our certificate: a temporary file, deleted after the handler returns.
        public var encryptedContainer: URL
    }

    /// What the engine did with a forsendelse.
    public enum Disposition: Sendable, Equatable {
        case stored
        /// Stored before (same messageId): answered, not stored twice.
        case duplicate
        /// The engine will not take it; SvarInn is told why.
        case refused(String)
    }

    public struct Outcome: Sendable, Equatable {
        public enum Result: Sendable, Equatable {
            /// Stored (or known) and answered with kvitterMottak.
            case taken
            /// Answered with mottakFeilet and this reason.
            case refused(String)
            /// Left in the mailbox for the next round (a failure on the way; it is logged).
            case retryLater(String)
        }

        public var forsendelseId: String
        public var mailbox: String
        public var result: Result

        public init(forsendelseId: String, mailbox: String, result: Result) {
            self.forsendelseId = forsendelseId
            self.mailbox = mailbox
            self.result = result
        }
    }

    public let client: SvarInnClient
    public let unpacker: SvarInnUnpacker
    public let sbdFactory: SvarInnSBD
    /// Signs the container (our virksomhetssertifikat).
    public let signer: PrivateKeyAndCertificate
    /// The certificate the container is encrypted to: ours, so the payload store can open it at pop.
    public let recipientCertificateDER: Data
    private let temporaryDirectory: URL
    private let now: @Sendable () -> Date
    private let logger: Logger

    public init(client: SvarInnClient, unpacker: SvarInnUnpacker, sbdFactory: SvarInnSBD, signer: PrivateKeyAndCertificate,
                recipientCertificateDER: Data, temporaryDirectory: URL = FileManager.default.temporaryDirectory,
                now: @escaping @Sendable () -> Date = { Date() }, logger: Logger = Logger(label: "dpf.svarinn")) {
        self.client = client
        self.unpacker = unpacker
        self.sbdFactory = sbdFactory
        self.signer = signer
        self.recipientCertificateDER = recipientCertificateDER
        self.temporaryDirectory = temporaryDirectory
        self.now = now
        self.logger = logger
    }

    /// One round over every mailbox with credentials. A mailbox that cannot be listed is logged and skipped; the
    /// round throws only when none could be listed.
    public func receiveOnce(handle: @Sendable (IncomingForsendelse) async throws -> Disposition) async throws -> [Outcome] {
        var outcomes: [Outcome] = []
        var failures: [SvarInnError] = []
        let mailboxes = client.credentials.organisations
        for mailbox in mailboxes {
            let forsendelser: [SvarInnForsendelse]
            do { forsendelser = try await client.newForsendelser(mailbox: mailbox) } catch {
                logger.warning("DPF: listing the SvarInn mailbox of \(mailbox) failed: \(error)")
                failures.append(error)
                continue
            }
            for forsendelse in forsendelser {
                outcomes.append(await receive(forsendelse, mailbox: mailbox, handle: handle))
            }
        }
        if let first = failures.first, failures.count == mailboxes.count { throw first }
        return outcomes
    }

    private func receive(_ forsendelse: SvarInnForsendelse, mailbox: String,
                         handle: @Sendable (IncomingForsendelse) async throws -> Disposition) async -> Outcome {
        func outcome(_ result: Outcome.Result) -> Outcome { Outcome(forsendelseId: forsendelse.id, mailbox: mailbox, result: result) }
        let folder = temporaryDirectory.appendingPathComponent("svarinn-\(UUID().uuidString.lowercased())")
        defer { try? FileManager.default.removeItem(at: folder) }
        let disposition: Disposition
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            let downloaded = folder.appendingPathComponent("download.cms")
            try await client.download(forsendelse, mailbox: mailbox, to: downloaded,
                                      limit: Int64(clamping: unpacker.limits.maximumTotalSize))
            let incoming = try convert(forsendelse, mailbox: mailbox, downloaded: downloaded, in: folder)
            disposition = try await handle(incoming)
        } catch let refusal as SvarInnRefusal {
            disposition = .refused(refusal.reason)
        } catch {
            logger.warning("DPF: forsendelse \(forsendelse.id) from SvarInn was not taken, trying again next round: \(error)")
            return outcome(.retryLater("\(error)"))
        }
        do {
            switch disposition {
            case .stored, .duplicate:
                try await client.kvitterMottak(forsendelse, mailbox: mailbox)
                return outcome(.taken)
            case .refused(let reason):
                logger.error("DPF: forsendelse \(forsendelse.id) from SvarInn refused: \(reason)",
                             metadata: ["audit": "refuse", "messageId": "\(forsendelse.id)", "serviceIdentifier": "DPF"])
                try await client.mottakFeilet(forsendelse, mailbox: mailbox, feilmelding: reason, permanent: true)
                return outcome(.refused(reason))
            }
        } catch {
            logger.warning("DPF: answering forsendelse \(forsendelse.id) at SvarInn failed; it will come again: \(error)")
            return outcome(.retryLater("\(error)"))
        }
    }

    /// Decrypts and checks the download, then writes the container the engine stores.
    func convert(_ forsendelse: SvarInnForsendelse, mailbox: String, downloaded: URL, in folder: URL) throws -> IncomingForsendelse {
        let files = try Self.containerNames(try unpacker.unpack(downloaded, forsendelse: forsendelse, into: folder))
        try? FileManager.default.removeItem(at: downloaded)
        let time = now()
        let arkivmelding = Data(SvarInnArkivmelding.xml(forsendelse, files: files, now: time).utf8)
        let sbd = sbdFactory.sbd(for: forsendelse, mailbox: mailbox, now: time)
        let documents = [AsicDocument(filename: SvarInnArkivmelding.filename, mimeType: "application/xml", data: arkivmelding)]
            + files.map { AsicDocument(filename: $0.filename, mimeType: $0.mimeType, source: .file($0.url)) }
        let manifest = EformidlingManifest(receiver: "0192:\(sbd.receiverIdentifier ?? mailbox)",
                                           sender: "0192:\(sbd.senderIdentifier ?? sbdFactory.fallbackSenderOrganisationNumber)",
                                           primaryDocumentFilename: SvarInnArkivmelding.filename,
                                           primaryDocumentMimeType: "application/xml")
        let container = folder.appendingPathComponent("container.cms")
        guard FileManager.default.createFile(atPath: container.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: container.path])
        }
        let handle = try FileHandle(forWritingTo: container)
        defer { try? handle.close() }
        var encryptor = try CMSEnvelopedDataEncryptor(recipientCertificateDER: recipientCertificateDER, keyTransport: .rsaOAEPSHA256)
        try AsicWriter(identity: signer, signingTime: time).write(manifest: manifest, documents: documents) { chunk in
            try handle.write(contentsOf: try encryptor.update(chunk))
        }
        try handle.write(contentsOf: try encryptor.finish())
        for file in files { try? FileManager.default.removeItem(at: file.url) }
        return IncomingForsendelse(forsendelse: forsendelse, mailbox: mailbox, sbd: sbd, encryptedContainer: container)
    }

    /// Names the files may not have in the container (ours, or the container's own) get a `svarinn-` prefix;
    /// names that are not safe entry names are refused.
    static func containerNames(_ files: [SvarInnUnpacker.File]) throws -> [SvarInnUnpacker.File] {
        var used: Set<String> = [SvarInnArkivmelding.filename, EformidlingManifest.filename, "mimetype"]
        return try files.map { file in
            guard AsicReader.isSafeEntryName(file.filename) else {
                throw SvarInnRefusal("the file name \"\(file.filename)\" is not safe to store")
            }
            var renamed = file
            var name = file.filename
            while used.contains(name.lowercased()) || name.uppercased().hasPrefix("META-INF/") { name = "svarinn-" + name }
            used.insert(name.lowercased())
            renamed.filename = name
            return renamed
        }
    }
}
