/// Spring-style relaxed names for configuration keys.
///
/// `default-ttl-hours`, `defaultTtlHours`, `default_ttl_hours` and `DEFAULT-TTL-HOURS` name the same key. The
/// canonical form keeps the dots between segments and, inside each segment, lowercases and drops `-` and `_`.
/// List indexes (`her-ids[0]`) are kept as they are.
public enum RelaxedKey {
    /// The canonical form of a dotted key: `difi.move.nextmove.defaultTtlHours` → `difi.move.nextmove.defaultttlhours`.
    public static func canonical(_ key: String) -> String {
        // Fast path for the usual ASCII keys: bytes, no per-character allocations.
        if key.utf8.allSatisfy({ $0 < 0x80 && $0 > 0x20 }) {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(key.utf8.count)
            for byte in key.utf8 where byte != UInt8(ascii: "-") && byte != UInt8(ascii: "_") {
                bytes.append(byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte)
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        var result = ""
        result.reserveCapacity(key.utf8.count)
        for character in key.trimmingWhitespace() {
            if character == "-" || character == "_" { continue }
            result.append(contentsOf: character.lowercased())
        }
        return result
    }

    /// The key with every separator removed, for matching environment variable names:
    /// `difi.move.nextmove.default-ttl-hours` and `DIFI_MOVE_NEXTMOVE_DEFAULT_TTL_HOURS` both give
    /// `difimovenextmovedefaultttlhours`.
    static func squashed(_ key: String) -> String {
        var result = ""
        for character in key where character != "-" && character != "_" && character != "." {
            result.append(contentsOf: character.lowercased())
        }
        return result
    }

    /// The canonical key Spring derives from an environment variable name when it matches no known key:
    /// `_` separates segments (`DIFI_MOVE_DPV_ENDPOINTURL` → `difi.move.dpv.endpointurl`).
    static func fromEnvironmentName(_ name: String) -> String {
        name.split(separator: "_", omittingEmptySubsequences: true).map { $0.lowercased() }.joined(separator: ".")
    }

    /// The last dotted segment of a canonical key, without a list index.
    static func lastSegment(_ canonicalKey: String) -> Substring {
        let segment = canonicalKey.split(separator: ".").last ?? Substring(canonicalKey)
        if let bracket = segment.firstIndex(of: "[") { return segment[..<bracket] }
        return segment
    }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        var view = Substring(self)
        while let first = view.first, first.isWhitespace { view = view.dropFirst() }
        while let last = view.last, last.isWhitespace { view = view.dropLast() }
        return String(view)
    }
}
