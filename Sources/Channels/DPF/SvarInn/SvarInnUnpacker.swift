import Crypto
import Foundation
import Model
import Packaging
import ZIPFoundation

/// Opens a file downloaded from SvarInn: decrypts the CMS envelope with the Fiks key (`difi.move.fiks.keystore`,
/// by default the organisation's), unpacks the ZIP inside under the same limits as incoming DPO containers
/// (`AsicReader.Limits`: entry and total sizes, entry count; no absolute or `..` names, no links), and checks
/// every file against SvarInn's `filmetadata` — present, the same size, the same SHA-256. A file that fails any
/// check is `SvarInnRefusal`: the forsendelse is reported with `mottakFeilet` and never offered.
///
/// The plain files land in `folder` (the caller's private, 0700 folder) because the ZIP format and the ASiC
/// writer both need random access; the caller removes the folder when the container is built.
public struct SvarInnUnpacker: Sendable {
    /// One checked file.
    public struct File: Sendable, Equatable {
        public var filename: String
        public var mimeType: String
        public var url: URL
        public var size: Int64

        public init(filename: String, mimeType: String, url: URL, size: Int64) {
            self.filename = filename
            self.mimeType = mimeType
            self.url = url
            self.size = size
        }
    }

    public let identity: PrivateKeyAndCertificate
    public let limits: AsicReader.Limits

    public init(identity: PrivateKeyAndCertificate, limits: AsicReader.Limits = AsicReader.Limits()) {
        self.identity = identity
        self.limits = limits
    }

    /// The forsendelse's files in `filmetadata` order.
    public func unpack(_ encrypted: URL, forsendelse: SvarInnForsendelse, into folder: URL) throws -> [File] {
        guard !forsendelse.filmetadata.isEmpty else { throw SvarInnRefusal("SvarInn lists no files (filmetadata) for it") }
        let plain = folder.appendingPathComponent("download.plain")
        try decrypt(encrypted, to: plain)
        defer { try? FileManager.default.removeItem(at: plain) }
        guard Self.isZip(plain) else {
            // A forsendelse of one document may come as that document alone rather than zipped (MottakService v1).
            guard forsendelse.filmetadata.count == 1, let only = forsendelse.filmetadata.first else {
                throw SvarInnRefusal("the decrypted file is not a ZIP archive, yet SvarInn lists \(forsendelse.filmetadata.count) files")
            }
            let target = try destination(for: only.filnavn, index: 0, in: folder)
            try FileManager.default.moveItem(at: plain, to: target)
            let (size, digest) = try Self.measure(target)
            try Self.check(only, size: size, digest: digest)
            return [File(filename: only.filnavn, mimeType: Self.mimeType(only), url: target, size: size)]
        }
        return try unzip(plain, forsendelse: forsendelse, into: folder)
    }

    private func decrypt(_ encrypted: URL, to plain: URL) throws {
        guard FileManager.default.createFile(atPath: plain.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: plain.path])
        }
        let input = try FileHandle(forReadingFrom: encrypted)
        defer { try? input.close() }
        let output = try FileHandle(forWritingTo: plain)
        defer { try? output.close() }
        var decryptor = CMSEnvelopedDataDecryptor(identity: identity)
        var written: UInt64 = 0
        do {
            while let chunk = try input.read(upToCount: 256 * 1024), !chunk.isEmpty {
                let out = try decryptor.update(chunk)
                written += UInt64(out.count)
                guard written <= limits.maximumTotalSize else {
                    throw SvarInnRefusal("the decrypted file is larger than \(limits.maximumTotalSize) bytes, the limit for incoming messages")
                }
                try output.write(contentsOf: out)
            }
            _ = try decryptor.finish()
        } catch let error as CMSError {
            throw SvarInnRefusal("the file cannot be decrypted with our Fiks key (difi.move.fiks.keystore): \(error)")
        }
    }

    private func unzip(_ zip: URL, forsendelse: SvarInnForsendelse, into folder: URL) throws -> [File] {
        let archive: Archive
        do { archive = try Archive(url: zip, accessMode: .read) } catch {
            throw SvarInnRefusal("the decrypted file is not a readable ZIP archive: \(error)")
        }
        let expected = Dictionary(forsendelse.filmetadata.map { ($0.filnavn, $0) }, uniquingKeysWith: { first, _ in first })
        var entries: [String: Entry] = [:]
        var declaredTotal: UInt64 = 0
        for entry in archive {
            guard AsicReader.isSafeEntryName(entry.path), entry.type != .symlink else {
                throw SvarInnRefusal("the ZIP holds an unsafe entry name \"\(entry.path)\"")
            }
            guard entry.type == .file else { continue }
            guard entries.count < limits.maximumEntryCount else {
                throw SvarInnRefusal("the ZIP holds more than \(limits.maximumEntryCount) entries")
            }
            guard expected[entry.path] != nil else {
                throw SvarInnRefusal("the ZIP holds \"\(entry.path)\", which SvarInn's filmetadata does not list")
            }
            guard entries[entry.path] == nil else { throw SvarInnRefusal("the ZIP holds \"\(entry.path)\" twice") }
            declaredTotal += entry.uncompressedSize
            guard entry.uncompressedSize <= limits.maximumEntrySize, declaredTotal <= limits.maximumTotalSize else {
                throw SvarInnRefusal("the ZIP unpacks to more than the limit for incoming messages (\(entry.path))")
            }
            entries[entry.path] = entry
        }
        var files: [File] = []
        for (index, metadata) in forsendelse.filmetadata.enumerated() {
            guard let entry = entries[metadata.filnavn] else {
                throw SvarInnRefusal("the file \"\(metadata.filnavn)\" that SvarInn lists is not in the ZIP")
            }
            let target = try destination(for: metadata.filnavn, index: index, in: folder)
            let (size, digest) = try extract(entry, from: archive, expectedSize: metadata.size, to: target)
            try Self.check(metadata, size: size, digest: digest)
            files.append(File(filename: metadata.filnavn, mimeType: Self.mimeType(metadata), url: target, size: size))
        }
        return files
    }

    /// Extracts one entry, stopping as soon as it grows past what its header, SvarInn's metadata or the limits
    /// allow (a ZIP bomb lies about its sizes; this is where the lie is caught).
    private func extract(_ entry: Entry, from archive: Archive, expectedSize: Int64, to target: URL) throws -> (Int64, String) {
        var limit = min(limits.maximumEntrySize, entry.uncompressedSize)
        if expectedSize > 0 { limit = min(limit, UInt64(expectedSize)) }
        guard FileManager.default.createFile(atPath: target.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: target.path])
        }
        let handle = try FileHandle(forWritingTo: target)
        defer { try? handle.close() }
        var hasher = SHA256()
        var total: UInt64 = 0
        do {
            _ = try archive.extract(entry, bufferSize: 1 << 16, skipCRC32: false) { chunk in
                total += UInt64(chunk.count)
                guard total <= limit else {
                    throw SvarInnRefusal("\"\(entry.path)\" unpacks to more than the \(limit) bytes its ZIP header and SvarInn's "
                        + "metadata give; refused as a zip bomb")
                }
                hasher.update(data: chunk)
                try handle.write(contentsOf: chunk)
            }
        } catch let refusal as SvarInnRefusal {
            throw refusal
        } catch {
            throw SvarInnRefusal("\"\(entry.path)\" cannot be unpacked: \(error)")
        }
        return (Int64(total), Self.hex(hasher.finalize()))
    }

    /// `folder/<index>-<name>`: the name is only a label here (it was checked as a safe entry name or comes from
    /// SvarInn), and the index keeps two documents apart.
    private func destination(for name: String, index: Int, in folder: URL) throws -> URL {
        let last = name.split(separator: "/").last.map(String.init) ?? "file"
        return folder.appendingPathComponent("\(index)-\(last.replacingOccurrences(of: "\0", with: ""))")
    }

    static func check(_ metadata: SvarInnForsendelse.Filmetadata, size: Int64, digest: String) throws {
        if metadata.size > 0, metadata.size != size {
            throw SvarInnRefusal("\"\(metadata.filnavn)\" is \(size) bytes, but SvarInn's metadata says \(metadata.size)")
        }
        if let expected = metadata.sha256hash, expected.lowercased() != digest {
            throw SvarInnRefusal("\"\(metadata.filnavn)\" does not match its SHA-256 in SvarInn's metadata "
                + "(expected \(expected.lowercased()), got \(digest)); it was altered or damaged on the way")
        }
    }

    static func mimeType(_ metadata: SvarInnForsendelse.Filmetadata) -> String {
        metadata.mimetype ?? MimeType.forExtension(MimeType.fileExtension(of: metadata.filnavn))
    }

    static func isZip(_ url: URL) -> Bool {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return false }
        defer { try? handle.close() }
        let magic = (try? handle.read(upToCount: 4)) ?? Data()
        return magic == Data([0x50, 0x4B, 0x03, 0x04]) || magic == Data([0x50, 0x4B, 0x05, 0x06])
    }

    static func measure(_ url: URL) throws -> (Int64, String) {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var hasher = SHA256()
        var size: Int64 = 0
        while let chunk = try handle.read(upToCount: 256 * 1024), !chunk.isEmpty {
            hasher.update(data: chunk)
            size += Int64(chunk.count)
        }
        return (size, hex(hasher.finalize()))
    }

    static func hex(_ digest: SHA256.Digest) -> String { Hex.lowercase(digest) }
}

/// Why a SvarInn forsendelse cannot be taken, in words for `mottakFeilet` and the log.
public struct SvarInnRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}
