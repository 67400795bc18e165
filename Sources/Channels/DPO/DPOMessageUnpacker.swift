import Foundation
import ZIPFoundation

/// Opens a downloaded `sbd.zip`: reads `sbd.json` and copies the still-encrypted `asic.zip` to a file.
public struct DPOMessageUnpacker: Sendable {
    public struct Unpacked: Sendable {
        /// The SBD JSON bytes as sent.
        public var sbdJSON: Data
        /// The CMS-encrypted ASiC-E container, when the message has files; the caller owns the file.
        public var encryptedAsic: URL?
    }

    public enum UnpackError: Error, Sendable, CustomStringConvertible {
        case notAZip(String)
        case missingSBD
        case sbdTooLarge(UInt64)
        case legacyContentXML
        case asicTooLarge(compressed: UInt64, limit: UInt64)

        public var description: String {
            switch self {
            case .notAZip(let why): "The DPO transfer file is not a ZIP archive: \(why)."
            case .missingSBD: "The DPO transfer file has no sbd.json."
            case .sbdTooLarge(let size): "The DPO transfer file's sbd.json is \(size) bytes, more than the 16 MB allowed."
            case .legacyContentXML: "The DPO transfer file holds a legacy content.xml SBD, which is not supported."
            case .asicTooLarge(let compressed, let limit):
                "The DPO transfer file's asic.zip (\(compressed) bytes packed) unpacks to more than \(limit) bytes. "
                    + "An encrypted container does not compress, so this is refused as a zip bomb."
            }
        }
    }

    public static let maximumSBDSize: UInt64 = 16 << 20

    public init() {}

    /// The CMS-encrypted `asic.zip` is random-looking bytes that DEFLATE cannot shrink, so it never unpacks to
    /// much more than its packed size; twice that plus 1 MiB leaves room for any honest packer and stops a bomb
    /// after writing at most that much (the declared size is not trusted).
    static func maximumAsicSize(packed: UInt64) -> UInt64 { packed * 2 + (1 << 20) }

    /// Unpacks `zip`; `asic.zip` is written to `asicDestination` (left untouched when there is none).
    public func unpack(_ zip: URL, asicDestination: URL) throws -> Unpacked {
        let archive: Archive
        do { archive = try Archive(url: zip, accessMode: .read) } catch {
            throw UnpackError.notAZip("\(error)")
        }
        let sbd = try sbdJSON(in: archive)
        var asicURL: URL?
        if let asicEntry = archive[DPOMessagePacker.asicEntryName] {
            try? FileManager.default.removeItem(at: asicDestination)
            _ = FileManager.default.createFile(atPath: asicDestination.path, contents: nil)
            let handle = try FileHandle(forWritingTo: asicDestination)
            defer { try? handle.close() }
            do {
                try extractAsic(asicEntry, from: archive) { try handle.write(contentsOf: $0) }
            } catch let error as UnpackError {
                try? FileManager.default.removeItem(at: asicDestination)
                throw error
            }
            asicURL = asicDestination
        }
        return Unpacked(sbdJSON: sbd, encryptedAsic: asicURL)
    }

    /// Unpacks a transfer file held in memory (a small one), with the same checks; `asic.zip` stays in memory.
    public func unpack(_ zip: Data) throws -> (sbdJSON: Data, encryptedAsic: Data?) {
        let archive: Archive
        do { archive = try Archive(data: zip, accessMode: .read) } catch {
            throw UnpackError.notAZip("\(error)")
        }
        let sbd = try sbdJSON(in: archive)
        guard let asicEntry = archive[DPOMessagePacker.asicEntryName] else { return (sbd, nil) }
        var asic = Data()
        try extractAsic(asicEntry, from: archive) { asic.append($0) }
        return (sbd, asic)
    }

    private func sbdJSON(in archive: Archive) throws -> Data {
        guard let sbdEntry = archive[DPOMessagePacker.sbdEntryName] else {
            if archive["content.xml"] != nil { throw UnpackError.legacyContentXML }
            throw UnpackError.missingSBD
        }
        guard UInt64(sbdEntry.uncompressedSize) <= Self.maximumSBDSize else { throw UnpackError.sbdTooLarge(UInt64(sbdEntry.uncompressedSize)) }
        var sbd = Data()
        _ = try archive.extract(sbdEntry) { sbd.append($0) }
        return sbd
    }

    /// Extracts `asic.zip` chunk by chunk into `sink`, stopping at the zip-bomb limit.
    private func extractAsic(_ entry: Entry, from archive: Archive, into sink: (Data) throws -> Void) throws {
        let limit = Self.maximumAsicSize(packed: UInt64(entry.compressedSize))
        var written: UInt64 = 0
        _ = try archive.extract(entry, bufferSize: 256 * 1024) { chunk in
            written += UInt64(chunk.count)
            guard written <= limit else {
                throw UnpackError.asicTooLarge(compressed: UInt64(entry.compressedSize), limit: limit)
            }
            try sink(chunk)
        }
    }
}
