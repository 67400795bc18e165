import Foundation
import Packaging
import ZIPFoundation

/// Packs a DPO message into the transfer file `sbd.zip` (`internals.md` §2.1):
/// `sbd.json` (the SBD JSON bytes as given) and, for messages with files, `asic.zip` — the signed ASiC-E container
/// CMS-encrypted (RSA-OAEP-SHA256, AES-256-CBC) to the receiver's certificate. Despite its name `asic.zip` is CMS.
///
/// The container streams straight into the CMS encryptor, so its plaintext never touches the disk; only the
/// encrypted container passes through a temporary file in `temporaryDirectory`. No file is held in memory, except by
/// `packInMemory`, which its callers use only for messages below `DPOTransport.inMemoryLimit`: creating, writing,
/// reading back and removing the temporary files cost a small message more CPU than its cryptography.
public struct DPOMessagePacker: Sendable {
    /// Writes the signed, unencrypted ASiC-E container as a sequence of chunks into `sink`
    /// (e.g. Packaging's `AsicWriter.write(manifest:documents:to:)`).
    public typealias ContainerWriter = @Sendable (_ sink: @escaping (Data) throws -> Void) throws -> Void

    public static let transferFileName = "sbd.zip"
    public static let sbdEntryName = "sbd.json"
    public static let asicEntryName = "asic.zip"

    public let temporaryDirectory: URL
    private let chunkSize = 256 * 1024

    public init(temporaryDirectory: URL = FileManager.default.temporaryDirectory) {
        self.temporaryDirectory = temporaryDirectory
    }

    /// Writes `sbd.zip` to `output` with `sbd.json` and the encrypted container.
    public func pack(sbdJSON: Data, container: ContainerWriter, receiverCertificateDER: Data, to output: URL) throws {
        let encrypted = temporaryFile("asic-cms")
        defer { try? FileManager.default.removeItem(at: encrypted) }
        let sink = try EncryptingFileSink(destination: encrypted, receiverCertificateDER: receiverCertificateDER)
        do {
            try container { try sink.write($0) }
            try sink.finish()
        } catch {
            sink.close()
            throw error
        }
        try writeZip(sbdJSON: sbdJSON, asic: encrypted, to: output)
    }

    /// `sbd.zip` as bytes, with `sbd.json` and, when there is a container, the container encrypted to the receiver.
    /// The caller bounds the container's size (it is held in memory twice: encrypted, then in the ZIP).
    public func packInMemory(sbdJSON: Data, container: ContainerWriter?, receiverCertificateDER: Data?) throws -> Data {
        var encrypted: Data?
        if let container, let receiverCertificateDER {
            let sink = EncryptingSink(try CMSEnvelopedDataEncryptor(recipientCertificateDER: receiverCertificateDER,
                                                                    keyTransport: .rsaOAEPSHA256))
            try container { try sink.write($0) }
            encrypted = try sink.finish()
        }
        let archive = try Archive(accessMode: .create)
        try addEntries(to: archive, sbdJSON: sbdJSON, asic: encrypted.map(AsicBytes.data))
        guard let bytes = archive.data else { throw CocoaError(.fileWriteUnknown) }
        return bytes
    }

    /// Writes `sbd.zip` to `output` with `sbd.json` only (status messages, messages without files).
    public func packWithoutFiles(sbdJSON: Data, to output: URL) throws {
        try writeZip(sbdJSON: sbdJSON, asic: nil, to: output)
    }

    /// CMS-encrypts a plaintext file to the receiver in chunks (DER, as its length is known).
    public func encrypt(_ plaintext: URL, to destination: URL, receiverCertificateDER: Data) throws {
        let size = try plaintext.fileSize()
        var encryptor = try CMSEnvelopedDataEncryptor(recipientCertificateDER: receiverCertificateDER,
                                                      keyTransport: .rsaOAEPSHA256, plaintextLength: Int(size))
        let input = try FileHandle(forReadingFrom: plaintext)
        defer { try? input.close() }
        _ = FileManager.default.createFile(atPath: destination.path, contents: nil)
        let output = try FileHandle(forWritingTo: destination)
        defer { try? output.close() }
        while let chunk = try input.read(upToCount: chunkSize), !chunk.isEmpty {
            try output.write(contentsOf: try encryptor.update(chunk))
        }
        try output.write(contentsOf: try encryptor.finish())
    }

    private func writeZip(sbdJSON: Data, asic: URL?, to output: URL) throws {
        try? FileManager.default.removeItem(at: output)
        let archive = try Archive(url: output, accessMode: .create)
        try addEntries(to: archive, sbdJSON: sbdJSON, asic: asic.map(AsicBytes.file))
    }

    private enum AsicBytes {
        case file(URL)
        case data(Data)
    }

    private func addEntries(to archive: Archive, sbdJSON: Data, asic: AsicBytes?) throws {
        try archive.addEntry(with: Self.sbdEntryName, type: .file, uncompressedSize: Int64(sbdJSON.count),
                             compressionMethod: .deflate) { position, size in
            sbdJSON.subdata(in: Int(position)..<min(sbdJSON.count, Int(position) + size))
        }
        switch asic {
        case nil:
            return
        case .file(let url):
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            // CMS output does not compress: store it.
            try archive.addEntry(with: Self.asicEntryName, type: .file, uncompressedSize: try url.fileSize(),
                                 compressionMethod: .none, bufferSize: chunkSize) { position, size in
                try handle.seek(toOffset: UInt64(position))
                return try handle.read(upToCount: size) ?? Data()
            }
        case .data(let bytes):
            try archive.addEntry(with: Self.asicEntryName, type: .file, uncompressedSize: Int64(bytes.count),
                                 compressionMethod: .none, bufferSize: chunkSize) { position, size in
                bytes.subdata(in: Int(position)..<min(bytes.count, Int(position) + size))
            }
        }
    }

    private func temporaryFile(_ prefix: String) -> URL {
        temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
    }
}

/// Encrypts chunks as they come and appends them to a file (BER with indefinite lengths, as BouncyCastle's
/// streaming generator writes it, because the container's length is not known in advance).
private final class EncryptingFileSink {
    private var encryptor: CMSEnvelopedDataEncryptor
    private let handle: FileHandle

    init(destination: URL, receiverCertificateDER: Data) throws {
        encryptor = try CMSEnvelopedDataEncryptor(recipientCertificateDER: receiverCertificateDER, keyTransport: .rsaOAEPSHA256)
        _ = FileManager.default.createFile(atPath: destination.path, contents: nil)
        handle = try FileHandle(forWritingTo: destination)
    }

    func write(_ chunk: Data) throws {
        try handle.write(contentsOf: try encryptor.update(chunk))
    }

    func finish() throws {
        try handle.write(contentsOf: try encryptor.finish())
        try handle.close()
    }

    func close() { try? handle.close() }
}

/// Encrypts chunks as they come into bytes in memory (BER with indefinite lengths, as above).
private final class EncryptingSink {
    private var encryptor: CMSEnvelopedDataEncryptor
    private var output = Data()

    init(_ encryptor: CMSEnvelopedDataEncryptor) {
        self.encryptor = encryptor
    }

    func write(_ chunk: Data) throws {
        output.append(try encryptor.update(chunk))
    }

    func finish() throws -> Data {
        output.append(try encryptor.finish())
        return output
    }
}
