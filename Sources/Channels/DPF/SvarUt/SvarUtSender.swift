import Foundation
import Model
import Packaging

/// Sends one DPF message to SvarUt (`internals.md` §2.3): reads `arkivmelding.xml`, maps the `Forsendelse`,
/// checks the forsendelse type against SvarUt's list, CMS-encrypts every document on its own to the receiver's
/// certificate (RSA-OAEP, AES-256-CBC; no ASiC), and hands it to the transport.
///
/// Documents stream from the engine's decrypted files straight into the encryptor; only ciphertext reaches the
/// disk, in a private folder removed before `send` returns. Errors are `SvarUtError`s; `isUnrecoverable` ones
/// mean FEIL at once (bad content, unknown type, no credentials), the rest are retried.
public struct SvarUtSender: Sendable {
    /// A file of the outgoing message, opened on demand as decrypted bytes.
    public struct OutgoingFile: Sendable {
        public var filename: String
        public var mimeType: String
        public var size: Int64
        public var open: @Sendable () throws -> AsyncThrowingStream<[UInt8], any Error>

        public init(filename: String, mimeType: String, size: Int64,
                    open: @escaping @Sendable () throws -> AsyncThrowingStream<[UInt8], any Error>) {
            self.filename = filename
            self.mimeType = mimeType
            self.size = size
            self.open = open
        }
    }

    public static let arkivmeldingFilename = "arkivmelding.xml"

    public let transport: any SvarUtTransport
    public let mapper: ForsendelseMapper
    public let forsendelseTypes: ForsendelseTypeCache
    /// `difi.move.fiks.ut.upload-size-limit`, 1 GB by default.
    public let uploadSizeLimit: Int64
    private let temporaryDirectory: URL

    public init(transport: any SvarUtTransport, mapper: ForsendelseMapper, forsendelseTypes: ForsendelseTypeCache,
                uploadSizeLimit: Int64 = 1 << 30, temporaryDirectory: URL = FileManager.default.temporaryDirectory) {
        self.transport = transport
        self.mapper = mapper
        self.forsendelseTypes = forsendelseTypes
        self.uploadSizeLimit = uploadSizeLimit
        self.temporaryDirectory = temporaryDirectory
    }

    /// What makes a message unsendable over DPF, found when it is created.
    public enum CreateProblem: Sendable, Equatable, CustomStringConvertible {
        /// `arkivmelding.sikkerhetsnivaa` is missing: it selects the registry's DPF record and SvarUt's login level.
        case missingSikkerhetsnivaa
        /// No SvarUt login for the sender (own or `paaVegneAv`).
        case missingCredentials(sender: String)
        /// `arkivmelding.dpf.forsendelseType` is not one of SvarUt's types.
        case unknownForsendelseType(String, known: [String])

        public var description: String {
            switch self {
            case .missingSikkerhetsnivaa: "arkivmelding.sikkerhetsnivaa is required for DPF (KS SvarUt): set it to 3 or 4"
            case .missingCredentials(let sender): "SvarUt credentials not configured for orgnr \(sender)"
            case .unknownForsendelseType(let type, let known): "Found forsendelseType \(type), but valid types are [\(known.joined(separator: ", "))]"
            }
        }
    }

    /// What makes a message unsendable over DPF before anything is stored (`nextmove-api.md` §4.2 item 10): a
    /// missing `sikkerhetsnivaa`, a sender without SvarUt credentials, an unknown forsendelse type. Nil when the
    /// message may go; throws when SvarUt cannot be asked for its types.
    public func problem(with sbd: StandardBusinessDocument) async throws(SvarUtError) -> CreateProblem? {
        guard sbd.sikkerhetsnivaa != nil else { return .missingSikkerhetsnivaa }
        let sender = sbd.senderIdentifier ?? ""
        guard transport.hasCredentials(for: sender) else { return .missingCredentials(sender: sender) }
        if let type = sbd.arkivmeldingDpfForsendelseType {
            let known = try await forsendelseTypes.types(for: sender, from: transport)
            if !known.contains(type) { return .unknownForsendelseType(type, known: known) }
        }
        return nil
    }

    /// Sends the message; answers the forsendelseId SvarUt holds it under.
    ///
    /// - Parameters:
    ///   - receiverInfo: the registry's `infoRecord` of the receiver; `receiverCertificateDER` its DPF certificate.
    ///   - senderInfo: looks up the sender's `infoRecord`, only when the arkivmelding names no `Avsender`.
    public func send(sbd: StandardBusinessDocument, files: [OutgoingFile], receiverInfo: InfoRecord,
                     receiverCertificateDER: Data,
                     senderInfo: @Sendable () async throws -> InfoRecord) async throws(SvarUtError) -> String {
        let sender = sbd.senderIdentifier ?? ""
        let messageId = sbd.messageId ?? ""
        let total = files.reduce(Int64(0)) { $0 + $1.size }
        guard total <= uploadSizeLimit else {
            throw Self.unsendable("the message's files are \(total) bytes together, more than the DPF limit of "
                                  + "\(uploadSizeLimit) bytes (difi.move.fiks.ut.upload-size-limit)")
        }
        let forsendelse = try await map(sbd, files: files, receiverInfo: receiverInfo, senderInfo: senderInfo)
        if let type = forsendelse.forsendelseType {
            try await forsendelseTypes.check(type, sender: sender, transport: transport)
        }
        // The REST API numbers forsendelser itself: if an earlier attempt reached SvarUt and only its answer was
        // lost, the forsendelse is there under our eksternReferanse, and sending again would deliver it twice.
        if transport.kind == "rest", let earlier = try? await transport.forsendelseIds(eksternReferanse: messageId, sender: sender).first {
            return earlier
        }
        let folder = temporaryDirectory.appendingPathComponent("svarut-\(UUID().uuidString.lowercased())")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw SvarUtError(operation: "prepare", status: nil, detail: "cannot create \(folder.path): \(error)",
                              isUnrecoverable: false)
        }
        defer { try? FileManager.default.removeItem(at: folder) }
        let documents = try await encrypt(forsendelse, files: files, certificateDER: receiverCertificateDER, in: folder)
        let forsendelseId = ForsendelseMapper.forsendelseId(for: sbd)
        do {
            return try await transport.send(forsendelse, forsendelseId: forsendelseId, documents: documents, sender: sender)
        } catch where error.isDuplicate {
            // SvarUt already holds a forsendelse with this id. If it is ours (same eksternReferanse), an earlier
            // attempt got through and only its answer was lost: that is a success, not a duplicate.
            if let ids = try? await transport.forsendelseIds(eksternReferanse: messageId, sender: sender),
               ids.contains(forsendelseId) {
                return forsendelseId
            }
            throw error
        }
    }

    private func map(_ sbd: StandardBusinessDocument, files: [OutgoingFile], receiverInfo: InfoRecord,
                     senderInfo: @Sendable () async throws -> InfoRecord) async throws(SvarUtError) -> Forsendelse {
        guard let arkivmeldingFile = files.first(where: { $0.filename == Self.arkivmeldingFilename }) else {
            throw Self.unsendable("No attachement \"arkivmelding.xml\" found; DPF messages carry their metadata in it")
        }
        let arkivmelding: ArkivmeldingJournalpost
        do {
            arkivmelding = try ArkivmeldingJournalpost.parse(try await Self.read(arkivmeldingFile))
        } catch let error as ArkivmeldingError {
            throw Self.unsendable("arkivmelding.xml: \(error.message)")
        } catch {
            throw SvarUtError(operation: "prepare", status: nil, detail: "reading arkivmelding.xml failed: \(error)",
                              isUnrecoverable: false)
        }
        var sender: InfoRecord?
        if arkivmelding.avsender == nil {
            do { sender = try await senderInfo() } catch {
                throw SvarUtError(operation: "prepare", status: nil,
                                  detail: "the service registry has no address for the sender: \(error)", isUnrecoverable: false)
            }
        }
        do {
            return try mapper.forsendelse(sbd: sbd, arkivmelding: arkivmelding,
                                          files: files.map { .init(filename: $0.filename, mimeType: $0.mimeType) },
                                          receiverInfo: receiverInfo, senderInfo: sender)
        } catch {
            throw Self.unsendable(error.description)
        }
    }

    /// Writes each document (in forsendelse order) to its own file: CMS EnvelopedData to the receiver when
    /// `kryptert`, else the plain bytes.
    private func encrypt(_ forsendelse: Forsendelse, files: [OutgoingFile], certificateDER: Data,
                         in folder: URL) async throws(SvarUtError) -> [SvarUtDocument] {
        var documents: [SvarUtDocument] = []
        for (index, dokument) in forsendelse.dokumenter.enumerated() {
            guard let file = files.first(where: { $0.filename == dokument.filnavn }) else {
                throw Self.unsendable("the file \(dokument.filnavn) is missing")
            }
            let url = folder.appendingPathComponent("\(index).\(forsendelse.kryptert ? "cms" : "bin")")
            do {
                let size = try await Self.write(file, to: url, encryptingTo: forsendelse.kryptert ? certificateDER : nil)
                documents.append(SvarUtDocument(filnavn: dokument.filnavn, mimetype: dokument.mimetype, file: url, size: size))
            } catch let error as CMSError {
                throw Self.unsendable("the receiver's certificate cannot be used to encrypt \(file.filename): \(error)")
            } catch {
                throw SvarUtError(operation: "prepare", status: nil, detail: "encrypting \(file.filename) failed: \(error)",
                                  isUnrecoverable: false)
            }
        }
        return documents
    }

    /// Streams `file` into `url` through the CMS encryptor (DER, as the length is known); answers the bytes written.
    static func write(_ file: OutgoingFile, to url: URL, encryptingTo certificateDER: Data?) async throws -> Int64 {
        guard FileManager.default.createFile(atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: url.path])
        }
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        var encryptor = try certificateDER.map {
            try CMSEnvelopedDataEncryptor(recipientCertificateDER: $0, keyTransport: .rsaOAEPSHA256,
                                          plaintextLength: Int(file.size))
        }
        var written: Int64 = 0
        for try await chunk in try file.open() {
            let out = try encryptor?.update(chunk) ?? Data(chunk)
            try handle.write(contentsOf: out)
            written += Int64(out.count)
        }
        if let tail = try encryptor?.finish() {
            try handle.write(contentsOf: tail)
            written += Int64(tail.count)
        }
        return written
    }

    static func read(_ file: OutgoingFile) async throws -> Data {
        var data = Data()
        for try await chunk in try file.open() {
            data.append(contentsOf: chunk)
            if data.count > ArkivmeldingJournalpost.maximumSize {
                throw ArkivmeldingError.unreadable
            }
        }
        return data
    }

    static func unsendable(_ detail: String) -> SvarUtError {
        SvarUtError(operation: "prepare", status: nil, detail: detail, isUnrecoverable: true)
    }
}
