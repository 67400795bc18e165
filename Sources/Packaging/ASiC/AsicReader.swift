import Crypto
import Foundation
import X509
import ZIPFoundation

/// Reads an ASiC-E container: lists the documents with their MIME types, verifies the CAdES
/// signature and every digest, and streams entries out.
///
/// Accepts every name variant of asic-e.md (`META-INF/ASiCManifest*.xml` in any case,
/// `META-INF/signature*.p7s`, preferring the one in `SigReference`) and SHA-1 or SHA-256 RSA
/// signatures. Entries with absolute or `..` paths make the whole container refused; entries
/// that unpack beyond `Limits` are refused as zip bombs.
public final class AsicReader {
    public struct Limits: Sendable {
        public var maximumEntrySize: UInt64
        /// The declared sizes of all entries together; entries never unpack beyond their declared size.
        public var maximumTotalSize: UInt64
        public var maximumEntryCount: Int
        public init(maximumEntrySize: UInt64 = 4 << 30, maximumTotalSize: UInt64 = 16 << 30, maximumEntryCount: Int = 10_000) {
            self.maximumEntrySize = maximumEntrySize
            self.maximumTotalSize = maximumTotalSize
            self.maximumEntryCount = maximumEntryCount
        }
    }

    /// A document in the container (META-INF and `mimetype` excluded).
    public struct Document: Sendable, Equatable {
        public var name: String
        public var mimeType: String
        public var size: UInt64
    }

    /// The outcome of `verify()`.
    public struct Verification: Sendable {
        public var signer: Certificate
        public var signingTime: Date?
        /// `SHA-256` or `SHA-1` (upstream senders).
        public var signatureDigestAlgorithm: String
        /// Documents not covered by the signed manifest; treat them as unsigned.
        public var unsignedDocuments: [String]
    }

    private let archive: Archive
    private let limits: Limits
    private let entriesByName: [String: ZIPFoundation.Entry]
    public let entryNames: [String]
    public private(set) var manifest: AsicManifest?

    public convenience init(url: URL, limits: Limits = Limits()) throws {
        let archive: Archive
        do { archive = try Archive(url: url, accessMode: .read) } catch { throw AsicError.notAZip("\(error)") }
        try self.init(archive: archive, limits: limits)
    }

    public convenience init(data: Data, limits: Limits = Limits()) throws {
        let archive: Archive
        do { archive = try Archive(data: data, accessMode: .read) } catch { throw AsicError.notAZip("\(error)") }
        try self.init(archive: archive, limits: limits)
    }

    private init(archive: Archive, limits: Limits) throws {
        self.archive = archive
        self.limits = limits
        var names: [String] = [], byName: [String: ZIPFoundation.Entry] = [:]
        var declaredTotal: UInt64 = 0
        for entry in archive {
            guard Self.isSafeEntryName(entry.path), entry.type != .symlink else { throw AsicError.unsafeEntryName(entry.path) }
            guard names.count < limits.maximumEntryCount else { throw AsicError.notAZip("more than \(limits.maximumEntryCount) entries") }
            if entry.uncompressedSize > limits.maximumEntrySize {
                throw AsicError.entryTooLarge(name: entry.path, limit: limits.maximumEntrySize)
            }
            declaredTotal += entry.uncompressedSize
            if declaredTotal > limits.maximumTotalSize {
                throw AsicError.entryTooLarge(name: "(all entries up to \(entry.path))", limit: limits.maximumTotalSize)
            }
            if entry.type == .file { names.append(entry.path); byName[entry.path] = entry }
        }
        entryNames = names
        entriesByName = byName
        if let manifestName = manifestEntryName { manifest = try AsicManifest.parse(try data(manifestName, verifyDigest: false)) }
    }

    /// Whether a ZIP entry name is safe to unpack: relative, without `..`, backslashes, NUL or a drive letter.
    public static func isSafeEntryName(_ name: String) -> Bool {
        !name.isEmpty && !name.hasPrefix("/") && !name.contains("\\") && !name.contains("\0")
            && !name.split(separator: "/", omittingEmptySubsequences: false).contains("..")
            && !(name.count >= 2 && name.dropFirst().first == ":")
    }

    var manifestEntryName: String? {
        entryNames.first { $0.lowercased().hasPrefix("meta-inf/asicmanifest") && $0.lowercased().hasSuffix(".xml") }
    }

    var signatureEntryName: String? {
        if let uri = manifest?.signatureURI, entriesByName[uri] != nil { return uri }
        return entryNames.first { $0.lowercased().hasPrefix("meta-inf/signature") && $0.lowercased().hasSuffix(".p7s") }
    }

    /// The documents, with MIME types from the ASiC manifest.
    public var documents: [Document] {
        entryNames.filter { $0 != "mimetype" && !$0.uppercased().hasPrefix("META-INF/") }.map { name in
            Document(name: name, mimeType: manifest?.references.first { $0.uri == name }?.mimeType ?? "application/octet-stream",
                     size: entriesByName[name]?.uncompressedSize ?? 0)
        }
    }

    /// Verifies the signature over the ASiC manifest and the digest of every referenced entry.
    public func verify() throws -> Verification {
        guard let manifestName = manifestEntryName, let manifest else { throw AsicError.missingManifest }
        guard let signatureName = signatureEntryName else { throw AsicError.missingSignature }
        let verified = try CAdESSignature.verify(try data(signatureName, verifyDigest: false),
                                                 content: try data(manifestName, verifyDigest: false))
        for reference in manifest.references {
            guard entriesByName[reference.uri] != nil else { throw AsicError.entryNotFound(reference.uri) }
            try stream(reference.uri) { _ in }
        }
        let covered = Set(manifest.references.map(\.uri))
        return Verification(signer: verified.signer, signingTime: verified.signingTime,
                            signatureDigestAlgorithm: verified.digestAlgorithm == OID.sha1 ? "SHA-1" : "SHA-256",
                            unsignedDocuments: documents.map(\.name).filter { !covered.contains($0) })
    }

    /// Streams an entry's bytes; if the manifest lists it, its digest is checked at the end
    /// (discard what was received if this throws).
    public func stream(_ name: String, to consumer: (Data) throws -> Void) throws {
        try stream(name, verifyDigest: true, to: consumer)
    }

    /// An entry's bytes in memory (small entries).
    public func data(_ name: String) throws -> Data { try data(name, verifyDigest: true) }

    func data(_ name: String, verifyDigest: Bool) throws -> Data {
        var out = Data()
        try stream(name, verifyDigest: verifyDigest) { out.append($0) }
        return out
    }

    private func stream(_ name: String, verifyDigest: Bool, to consumer: (Data) throws -> Void) throws {
        guard let entry = entriesByName[name] else { throw AsicError.entryNotFound(name) }
        let reference = verifyDigest ? manifest?.references.first { $0.uri == name } : nil
        var hasher = try reference.map { try DigestAccumulator(algorithm: $0.digestAlgorithm) }
        var total: UInt64 = 0
        let limit = min(limits.maximumEntrySize, entry.uncompressedSize)  // a lying size header is a bomb too
        do {
            _ = try archive.extract(entry, bufferSize: 1 << 16) { chunk in
                total += UInt64(chunk.count)
                guard total <= limit else { throw AsicError.entryTooLarge(name: name, limit: limit) }
                hasher?.update(chunk)
                try consumer(chunk)
            }
        } catch let error as AsicError {
            throw error
        } catch {
            throw AsicError.notAZip("entry '\(name)': \(error)")
        }
        if let reference, let hasher, hasher.finalize() != reference.digest { throw AsicError.digestMismatch(name) }
    }
}

/// A running digest for any of the manifest's algorithms.
enum DigestAccumulator {
    case sha1(Insecure.SHA1), sha256(SHA256), sha384(SHA384), sha512(SHA512)

    init(algorithm: String) throws {
        switch try AsicManifest.hasher(for: algorithm) {
        case is Insecure.SHA1.Type: self = .sha1(Insecure.SHA1())
        case is SHA384.Type: self = .sha384(SHA384())
        case is SHA512.Type: self = .sha512(SHA512())
        default: self = .sha256(SHA256())
        }
    }

    mutating func update(_ data: Data) {
        switch self {
        case .sha1(var h): h.update(data: data); self = .sha1(h)
        case .sha256(var h): h.update(data: data); self = .sha256(h)
        case .sha384(var h): h.update(data: data); self = .sha384(h)
        case .sha512(var h): h.update(data: data); self = .sha512(h)
        }
    }

    func finalize() -> Data {
        switch self {
        case .sha1(let h): Data(h.finalize())
        case .sha256(let h): Data(h.finalize())
        case .sha384(let h): Data(h.finalize())
        case .sha512(let h): Data(h.finalize())
        }
    }
}
