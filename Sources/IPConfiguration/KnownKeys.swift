/// Suggestions for misspelled keys.
enum KnownKeys {
    /// The upstream spelling of every known key, by canonical form.
    static let spellings: [String: String] = {
        var result: [String: String] = [:]
        for (key, _) in BuiltInDefaults.base { result[RelaxedKey.canonical(key)] = key }
        for key in BuiltInDefaults.keysWithoutDefault { result[RelaxedKey.canonical(key)] = key }
        return result
    }()

    /// The known key within edit distance 2 of `canonicalKey` (closest first), in upstream spelling.
    static func closest(to canonicalKey: String) -> String? {
        var best: (distance: Int, key: String)?
        let dots = canonicalKey.utf8.lazy.filter { $0 == UInt8(ascii: ".") }.count
        for known in BuiltInDefaults.knownCanonicalKeys {
            // Typos stay within a segment count; comparing only those keeps this cheap.
            guard abs(known.count - canonicalKey.count) <= 2,
                  known.utf8.lazy.filter({ $0 == UInt8(ascii: ".") }).count == dots else { continue }
            let distance = editDistance(known, canonicalKey, limit: 2)
            guard distance <= 2 else { continue }
            if best == nil || distance < best!.distance || (distance == best!.distance && known < best!.key) {
                best = (distance, known)
            }
        }
        return best.map { spellings[$0.key] ?? $0.key }
    }

    /// Levenshtein distance, giving up (returning `limit + 1`) once it must exceed `limit`.
    static func editDistance(_ a: String, _ b: String, limit: Int) -> Int {
        let a = Array(a.utf8), b = Array(b.utf8)
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var previous = Array(0...b.count)
        var current = Array(repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            var rowMinimum = current[0]
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                rowMinimum = min(rowMinimum, current[j])
            }
            if rowMinimum > limit { return limit + 1 }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
