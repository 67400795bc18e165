import Foundation

/// One element of a BER/DER encoding, parsed into a small tree.
///
/// Packaging reads structures that other implementations write, and they are not always DER:
/// BouncyCastle and `openssl -stream` use indefinite lengths and constructed OCTET STRINGs. This
/// parser accepts both and keeps the exact encoded bytes of every element (`encoded`), which
/// signature checks and identifier comparisons need.
struct BERNode: Sendable {
    /// The identifier octet (class, constructed bit and tag number; only low tag numbers occur here).
    var identifier: UInt8
    /// The content octets of a primitive element (empty for a constructed one).
    var content: ArraySlice<UInt8>
    /// The children of a constructed element.
    var children: [BERNode]
    /// The full encoding of this element, header included.
    var encoded: ArraySlice<UInt8>

    var isConstructed: Bool { identifier & 0x20 != 0 }
    var tagNumber: UInt8 { identifier & 0x1F }

    /// The value of an OCTET STRING (or an implicitly tagged one), joining the segments of a
    /// constructed encoding.
    var octets: [UInt8] {
        if !isConstructed { return Array(content) }
        return children.flatMap(\.octets)
    }

    /// The dotted form of an OBJECT IDENTIFIER.
    var oid: String? {
        guard identifier == 0x06 else { return nil }
        return ObjectIdentifier.decode(content)
    }

    /// The value of a small non-negative INTEGER.
    var intValue: Int? {
        guard identifier == 0x02, content.count <= 8 else { return nil }
        return content.reduce(0) { ($0 << 8) | Int($1) }
    }

    func child(_ index: Int) throws -> BERNode {
        guard index < children.count else {
            throw ASN1ParseError("expected at least \(index + 1) elements inside tag 0x\(String(identifier, radix: 16)), found \(children.count)")
        }
        return children[index]
    }
}

struct ASN1ParseError: Error, CustomStringConvertible {
    var description: String
    init(_ message: String) { self.description = "malformed ASN.1: \(message)" }
}

/// Parses BER (definite and indefinite lengths) into `BERNode` trees.
enum BERParser {
    static let maximumDepth = 64

    /// Parses one complete element that must fill `bytes`.
    static func parse(_ bytes: [UInt8]) throws -> BERNode {
        guard let (node, end) = try parsePrefix(bytes[...]) else {
            throw ASN1ParseError("the data ends in the middle of an element")
        }
        guard end == bytes.endIndex else { throw ASN1ParseError("\(bytes.endIndex - end) bytes after the element") }
        return node
    }

    /// Parses one element at the start of `bytes`; `nil` if `bytes` ends before the element does.
    static func parsePrefix(_ bytes: ArraySlice<UInt8>, depth: Int = 0) throws -> (BERNode, Int)? {
        guard depth < maximumDepth else { throw ASN1ParseError("nesting deeper than \(maximumDepth)") }
        guard let header = try readHeader(bytes) else { return nil }
        let start = bytes.startIndex
        let contentStart = start + header.headerLength
        let constructed = header.identifier & 0x20 != 0
        if let length = header.length {
            guard bytes.endIndex - contentStart >= length else { return nil }
            let end = contentStart + length
            let content = bytes[contentStart..<end]
            var children: [BERNode] = []
            if constructed {
                var cursor = contentStart
                while cursor < end {
                    guard let (child, next) = try parsePrefix(bytes[cursor..<end], depth: depth + 1) else {
                        throw ASN1ParseError("an element overruns its parent at offset \(cursor)")
                    }
                    children.append(child)
                    cursor = next
                }
            }
            return (BERNode(identifier: header.identifier, content: constructed ? [] : content,
                            children: children, encoded: bytes[start..<end]), end)
        }
        guard constructed else { throw ASN1ParseError("indefinite length on a primitive element") }
        var cursor = contentStart
        var children: [BERNode] = []
        while true {
            guard bytes.endIndex - cursor >= 2 else { return nil }
            if bytes[cursor] == 0, bytes[cursor + 1] == 0 { cursor += 2; break }
            guard let (child, next) = try parsePrefix(bytes[cursor...], depth: depth + 1) else { return nil }
            children.append(child)
            cursor = next
        }
        return (BERNode(identifier: header.identifier, content: [], children: children,
                        encoded: bytes[start..<cursor]), cursor)
    }

    struct Header {
        var identifier: UInt8
        var length: Int?  // nil: indefinite
        var headerLength: Int
    }

    /// Reads an identifier and length; `nil` if more bytes are needed.
    static func readHeader(_ bytes: ArraySlice<UInt8>) throws -> Header? {
        let s = bytes.startIndex
        guard bytes.count >= 2 else { return nil }
        let identifier = bytes[s]
        guard identifier & 0x1F != 0x1F else { throw ASN1ParseError("high tag numbers are not supported") }
        let first = bytes[s + 1]
        if first < 0x80 { return Header(identifier: identifier, length: Int(first), headerLength: 2) }
        if first == 0x80 { return Header(identifier: identifier, length: nil, headerLength: 2) }
        let count = Int(first & 0x7F)
        guard count <= 8 else { throw ASN1ParseError("a length of \(count) octets is too long") }
        guard bytes.count >= 2 + count else { return nil }
        var length = 0
        for byte in bytes[(s + 2)..<(s + 2 + count)] {
            guard length < (Int.max >> 8) else { throw ASN1ParseError("length too large") }
            length = (length << 8) | Int(byte)
        }
        return Header(identifier: identifier, length: length, headerLength: 2 + count)
    }
}

/// Dotted-decimal object identifiers, encoded and decoded.
enum ObjectIdentifier {
    static func decode(_ content: ArraySlice<UInt8>) -> String {
        var arcs: [UInt64] = []
        var value: UInt64 = 0
        for byte in content {
            value = (value << 7) | UInt64(byte & 0x7F)
            if byte & 0x80 == 0 { arcs.append(value); value = 0 }
        }
        guard let first = arcs.first else { return "" }
        let head: [UInt64] = first < 40 ? [0, first] : first < 80 ? [1, first - 40] : [2, first - 80]
        return (head + arcs.dropFirst()).map(String.init).joined(separator: ".")
    }

    static func encode(_ dotted: String) -> [UInt8] {
        let arcs = dotted.split(separator: ".").map { UInt64($0)! }
        var out: [UInt8] = []
        for arc in [arcs[0] * 40 + arcs[1]] + arcs.dropFirst(2) {
            var chunk: [UInt8] = [UInt8(arc & 0x7F)]
            var rest = arc >> 7
            while rest > 0 { chunk.insert(UInt8(rest & 0x7F) | 0x80, at: 0); rest >>= 7 }
            out += chunk
        }
        return out
    }
}
