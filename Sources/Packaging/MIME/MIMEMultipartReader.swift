import Foundation

/// A streaming MIME multipart reader (`multipart/form-data`, `multipart/related` as MTOM uses it) that pulls from
/// its source only as fast as the consumer reads, so a large part flows to disk without being held in memory.
/// The channels read SOAP/MTOM answers with it and the sandbox's twins read uploads.
///
/// Use it from one task: `nextPart()` moves to the next part (skipping what is left of the current one), and
/// `readChunk()` returns the current part's body piece by piece, then nil.
public final class MIMEMultipartReader<Source: AsyncIteratorProtocol>: @unchecked Sendable where Source.Element == [UInt8] {
    public struct PartHeaders: Sendable {
        public var headers: [(name: String, value: String)]

        public func value(_ name: String) -> String? {
            headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
        }
    }

    private enum State { case beforePart, inBody, done }

    private var source: Source
    private var sourceFinished = false
    private var buffer: [UInt8] = [13, 10]  // a virtual CRLF so the first delimiter looks like every other one
    private var start = 0
    private var state = State.beforePart
    private let delimiter: [UInt8]
    private let maximumHeaderBytes = 64 * 1024

    public init(boundary: String, source: Source) {
        self.source = source
        self.delimiter = Array("\r\n--\(boundary)".utf8)
    }

    /// Moves to the next part and returns its headers, or nil after the closing boundary.
    public func nextPart() async throws -> PartHeaders? {
        while state == .inBody { _ = try await readChunk() }
        if state == .done { return nil }
        try await skipToDelimiter()
        guard try await fill(2) else { throw MIMEMultipartError("The multipart body ended without a closing boundary.") }
        if buffer[start] == UInt8(ascii: "-") && buffer[start + 1] == UInt8(ascii: "-") {
            state = .done
            return nil
        }
        let headerBlock = try await readUntil(Array("\r\n\r\n".utf8), limit: maximumHeaderBytes)
        state = .inBody
        return PartHeaders(headers: Self.parseHeaders(headerBlock))
    }

    /// The rest of the current part's body in memory, refusing more than `limit` bytes (small parts only).
    public func readAll(limit: Int) async throws -> [UInt8] {
        var all: [UInt8] = []
        while let chunk = try await readChunk() {
            all.append(contentsOf: chunk)
            if all.count > limit { throw MIMEMultipartError("A multipart part is larger than the \(limit) bytes allowed.") }
        }
        return all
    }

    /// The next piece of the current part's body, or nil at its end.
    public func readChunk() async throws -> [UInt8]? {
        guard state == .inBody else { return nil }
        while true {
            if let found = find(delimiter) {
                let chunk = Array(buffer[start..<found])
                start = found
                state = .beforePart
                compact()
                // The delimiter stays for nextPart(); the next call reports the end of the part.
                return chunk.isEmpty ? nil : chunk
            }
            let safe = buffer.count - start - (delimiter.count - 1)
            if safe > 0 {
                let chunk = Array(buffer[start..<(start + safe)])
                start += safe
                compact()
                return chunk
            }
            guard try await pull() else {
                throw MIMEMultipartError("The multipart body ended in the middle of a part; the upload was cut off.")
            }
        }
    }

    private func skipToDelimiter() async throws {
        while true {
            if let found = find(delimiter) {
                start = found + delimiter.count
                compact()
                return
            }
            start = max(start, buffer.count - (delimiter.count - 1))
            compact()
            guard try await pull() else {
                throw MIMEMultipartError("No multipart boundary found; check the boundary in the Content-Type header.")
            }
        }
    }

    private func readUntil(_ marker: [UInt8], limit: Int) async throws -> [UInt8] {
        // The delimiter line may carry transport padding before its CRLF; the header block starts after that CRLF.
        while true {
            if let found = find(marker) {
                var block = Array(buffer[start..<found])
                start = found + marker.count
                compact()
                if let lineEnd = block.firstRange(of: [13, 10]) {
                    block = Array(block[lineEnd.upperBound...])
                } else {
                    block = []
                }
                return block
            }
            if buffer.count - start > limit { throw MIMEMultipartError("A multipart part has more than \(limit) bytes of headers.") }
            guard try await pull() else { throw MIMEMultipartError("The multipart body ended inside the headers of a part.") }
        }
    }

    /// Where `needle` first starts in the unread part of the buffer: memchr for its first byte, then memcmp —
    /// fast in every build configuration, unlike the generic `firstRange(of:)`.
    private func find(_ needle: [UInt8]) -> Int? {
        buffer.withUnsafeBufferPointer { bytes -> Int? in
            needle.withUnsafeBufferPointer { pattern -> Int? in
                guard let base = bytes.baseAddress, let first = pattern.first else { return nil }
                var from = start
                let lastStart = bytes.count - pattern.count
                while from <= lastStart {
                    guard let hit = memchr(base + from, Int32(first), lastStart - from + 1) else { return nil }
                    let at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                    if memcmp(base + at, pattern.baseAddress!, pattern.count) == 0 { return at }
                    from = at + 1
                }
                return nil
            }
        }
    }

    private func fill(_ count: Int) async throws -> Bool {
        while buffer.count - start < count {
            guard try await pull() else { return false }
        }
        return true
    }

    private func pull() async throws -> Bool {
        guard !sourceFinished, let next = try await source.next() else {
            sourceFinished = true
            return false
        }
        buffer.append(contentsOf: next)
        return true
    }

    private func compact() {
        if start > 64 * 1024 && start * 2 > buffer.count {
            buffer.removeFirst(start)
            start = 0
        }
    }

    static func parseHeaders(_ block: [UInt8]) -> [(name: String, value: String)] {
        String(decoding: block, as: UTF8.self).components(separatedBy: "\r\n").compactMap { line in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]).trimmingCharacters(in: .whitespaces),
                    String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces))
        }
    }
}
