import Foundation

/// One document to put in an ASiC-E container.
public struct AsicDocument: Sendable {
    /// Where the bytes come from. Files are read in chunks, never whole.
    public enum Source: Sendable {
        case data(Data)
        case file(URL)
    }

    public var filename: String
    public var mimeType: String
    public var source: Source

    public init(filename: String, mimeType: String, source: Source) {
        self.filename = filename
        self.mimeType = mimeType
        self.source = source
    }

    public init(filename: String, mimeType: String, data: Data) {
        self.init(filename: filename, mimeType: mimeType, source: .data(data))
    }
}

extension AsicDocument.Source {
    static let chunkSize = 1 << 16

    func size() throws -> Int64 {
        switch self {
        case .data(let data):
            return Int64(data.count)
        case .file(let url):
            let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
            return (attributes[.size] as? NSNumber)?.int64Value ?? 0
        }
    }

    /// Calls `body` with consecutive chunks of at most `chunkSize` bytes.
    func forEachChunk(_ body: (Data) throws -> Void) throws {
        switch self {
        case .data(let data):
            var start = data.startIndex
            while start < data.endIndex {
                let end = min(start + Self.chunkSize, data.endIndex)
                try body(data[start..<end])
                start = end
            }
        case .file(let url):
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            while let chunk = try handle.read(upToCount: Self.chunkSize), !chunk.isEmpty {
                try body(chunk)
            }
        }
    }

    /// A sequential reader for pull-based consumers (the DEFLATE encoder).
    func makeReader() throws -> SequentialReader { try SequentialReader(self) }

    final class SequentialReader {
        private let handle: FileHandle?
        private let data: Data?
        private var position: Int

        init(_ source: AsicDocument.Source) throws {
            switch source {
            case .data(let data): self.data = data; handle = nil; position = data.startIndex
            case .file(let url): handle = try FileHandle(forReadingFrom: url); data = nil; position = 0
            }
        }
        deinit { try? handle?.close() }

        func read(_ count: Int) throws -> Data {
            if let data {
                let end = min(position + count, data.endIndex)
                defer { position = end }
                return data[position..<end]
            }
            return try handle?.read(upToCount: count) ?? Data()
        }
    }
}
