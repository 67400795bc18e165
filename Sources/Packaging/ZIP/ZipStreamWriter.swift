import Crypto
import Foundation
import ZIPFoundation

/// Writes a ZIP archive front to back into a sink, one entry at a time, without holding entries in memory.
///
/// DEFLATED entries use a data descriptor (sizes and CRC after the data), which Java's
/// `ZipInputStream` reads. STORED entries get their sizes and CRC in the local header, from a first
/// pass over the source, because `ZipInputStream` cannot read STORED entries with a descriptor.
/// Entries and archives above 4 GiB get ZIP64 records.
///
/// Public for the channels' own archives (DPO's `sbd.zip` = `sbd.json` + the CMS-encrypted `asic.zip`).
public struct ZipStreamWriter {
    public enum Method: UInt16, Sendable { case stored = 0, deflated = 8 }

    private struct CentralRecord {
        var name: [UInt8]; var flags: UInt16; var method: Method
        var crc: UInt32; var compressedSize: UInt64; var size: UInt64; var offset: UInt64
        var zip64 = false
    }

    /// Sizes and offsets from here on need ZIP64 records (lowered only by tests).
    var zip64Threshold: UInt64 = 0xFFFF_FFFF

    private let sink: (Data) throws -> Void
    private var offset: UInt64 = 0
    private var records: [CentralRecord] = []
    private let dosTime: UInt16, dosDate: UInt16

    /// - Parameters:
    ///   - modified: the time stamp of every entry.
    ///   - sink: receives the archive's bytes in order.
    public init(modified: Date, sink: @escaping (Data) throws -> Void) {
        self.sink = sink
        let parts = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: modified)
        dosTime = UInt16(parts.hour! << 11 | parts.minute! << 5 | parts.second! / 2)
        dosDate = UInt16(max(parts.year! - 1980, 0) << 9 | parts.month! << 5 | parts.day!)
    }

    private mutating func emit(_ bytes: [UInt8]) throws { try emit(Data(bytes)) }
    private mutating func emit(_ data: Data) throws {
        try sink(data)
        offset += UInt64(data.count)
    }

    /// Adds an entry; returns the SHA-256 of its uncompressed bytes.
    @discardableResult
    public mutating func add(name: String, source: AsicDocument.Source, method: Method) throws -> SHA256Digest {
        switch method {
        case .stored: return try addStored(name: name, source: source)
        case .deflated: return try addDeflated(name: name, source: source)
        }
    }

    private mutating func addStored(name: String, source: AsicDocument.Source) throws -> SHA256Digest {
        var crc: CRC32 = 0, size: UInt64 = 0
        try source.forEachChunk { crc = $0.crc32(checksum: crc); size += UInt64($0.count) }
        var record = CentralRecord(name: Array(name.utf8), flags: Self.nameFlags(name), method: .stored,
                                   crc: crc, compressedSize: size, size: size, offset: offset)
        record.zip64 = size >= zip64Threshold || offset >= zip64Threshold
        try emit(localHeader(record, sizesKnown: true))
        var hasher = SHA256()
        var written: UInt64 = 0
        try source.forEachChunk { chunk in
            hasher.update(data: chunk)
            written += UInt64(chunk.count)
            try emit(chunk)
        }
        guard written == size else { throw AsicError.sourceChanged(name) }
        records.append(record)
        return hasher.finalize()
    }

    private mutating func addDeflated(name: String, source: AsicDocument.Source) throws -> SHA256Digest {
        let size = try source.size()
        var record = CentralRecord(name: Array(name.utf8), flags: Self.nameFlags(name) | 0x0008, method: .deflated,
                                   crc: 0, compressedSize: 0, size: UInt64(size), offset: offset)
        // DEFLATE can expand incompressible data slightly: switch to ZIP64 a little below the limit.
        // Past 4 GiB of offset the entry is ZIP64 throughout: some readers (ZIPFoundation) expect a
        // ZIP64 data descriptor whenever the central record carries ZIP64 information.
        record.zip64 = UInt64(size) >= zip64Threshold - zip64Threshold / 64 || offset >= zip64Threshold
        try emit(localHeader(record, sizesKnown: false))
        let reader = try source.makeReader()
        var hasher = SHA256()
        var read: UInt64 = 0, compressed: UInt64 = 0
        let crc = try Data.compress(size: size, bufferSize: 1 << 16, provider: { _, count in
            let chunk = try reader.read(count)
            hasher.update(data: chunk)
            read += UInt64(chunk.count)
            return chunk
        }, consumer: { chunk in
            compressed += UInt64(chunk.count)
            try self.emit(chunk)
        })
        guard read == UInt64(size) else { throw AsicError.sourceChanged(name) }
        record.crc = crc
        record.compressedSize = compressed
        try emit(dataDescriptor(record))
        records.append(record)
        return hasher.finalize()
    }

    static func nameFlags(_ name: String) -> UInt16 { name.utf8.allSatisfy { $0 < 0x80 } ? 0 : 0x0800 }

    /// Writes the central directory; call once, after the last entry.
    public mutating func finish() throws {
        let centralStart = offset
        for record in records { try emit(centralHeader(record)) }
        let centralSize = offset - centralStart
        let needsZip64 = records.count >= 0xFFFF || centralStart >= zip64Threshold || centralSize >= zip64Threshold
        if needsZip64 {
            let zip64Start = offset
            var end = LittleEndian()
            end.u32(0x0606_4b50); end.u64(44); end.u16(45); end.u16(45); end.u32(0); end.u32(0)
            end.u64(UInt64(records.count)); end.u64(UInt64(records.count)); end.u64(centralSize); end.u64(centralStart)
            end.u32(0x0706_4b50); end.u32(0); end.u64(zip64Start); end.u32(1)
            try emit(end.bytes)
        }
        var end = LittleEndian()
        end.u32(0x0605_4b50); end.u16(0); end.u16(0)
        end.u16(UInt16(min(records.count, 0xFFFF))); end.u16(UInt16(min(records.count, 0xFFFF)))
        end.u32(needsZip64 ? 0xFFFF_FFFF : UInt32(centralSize)); end.u32(needsZip64 ? 0xFFFF_FFFF : UInt32(centralStart)); end.u16(0)
        try emit(end.bytes)
    }

    // MARK: Records

    private func localHeader(_ record: CentralRecord, sizesKnown: Bool) -> [UInt8] {
        let zip64 = record.zip64
        var header = LittleEndian()
        header.u32(0x0403_4b50); header.u16(zip64 ? 45 : 20); header.u16(record.flags); header.u16(record.method.rawValue)
        header.u16(dosTime); header.u16(dosDate)
        header.u32(sizesKnown ? record.crc : 0)
        header.u32(zip64 ? 0xFFFF_FFFF : UInt32(sizesKnown ? record.compressedSize : 0))
        header.u32(zip64 ? 0xFFFF_FFFF : UInt32(sizesKnown ? record.size : 0))
        header.u16(UInt16(record.name.count)); header.u16(zip64 ? 20 : 0)
        header.bytes += record.name
        if zip64 {
            header.u16(0x0001); header.u16(16)
            header.u64(sizesKnown ? record.size : 0); header.u64(sizesKnown ? record.compressedSize : 0)
        }
        return header.bytes
    }

    private func dataDescriptor(_ record: CentralRecord) -> [UInt8] {
        var descriptor = LittleEndian()
        descriptor.u32(0x0807_4b50); descriptor.u32(record.crc)
        if record.zip64 {
            descriptor.u64(record.compressedSize); descriptor.u64(record.size)
        } else {
            descriptor.u32(UInt32(record.compressedSize)); descriptor.u32(UInt32(record.size))
        }
        return descriptor.bytes
    }

    private func centralHeader(_ record: CentralRecord) -> [UInt8] {
        var extra = LittleEndian()
        let bigSize = record.zip64 || record.compressedSize >= zip64Threshold
        let bigOffset = record.offset >= zip64Threshold
        if bigSize || bigOffset {
            extra.u16(0x0001); extra.u16(UInt16((bigSize ? 16 : 0) + (bigOffset ? 8 : 0)))
            if bigSize { extra.u64(record.size); extra.u64(record.compressedSize) }
            if bigOffset { extra.u64(record.offset) }
        }
        var header = LittleEndian()
        header.u32(0x0201_4b50); header.u16(extra.bytes.isEmpty ? 20 : 45); header.u16(extra.bytes.isEmpty ? 20 : 45)
        header.u16(record.flags); header.u16(record.method.rawValue); header.u16(dosTime); header.u16(dosDate)
        header.u32(record.crc)
        header.u32(bigSize ? 0xFFFF_FFFF : UInt32(record.compressedSize))
        header.u32(bigSize ? 0xFFFF_FFFF : UInt32(record.size))
        header.u16(UInt16(record.name.count)); header.u16(UInt16(extra.bytes.count)); header.u16(0)
        header.u16(0); header.u16(0); header.u32(0)
        header.u32(bigOffset ? 0xFFFF_FFFF : UInt32(record.offset))
        return header.bytes + record.name + extra.bytes
    }
}

/// Little-endian field writer for ZIP records.
struct LittleEndian {
    var bytes: [UInt8] = []
    mutating func u16(_ value: UInt16) { bytes += [UInt8(value & 0xFF), UInt8(value >> 8)] }
    mutating func u32(_ value: UInt32) { for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8((value >> UInt32(shift)) & 0xFF)) } }
    mutating func u64(_ value: UInt64) { for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8((value >> UInt64(shift)) & 0xFF)) } }
}
