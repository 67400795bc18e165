/// Every effective key and value after layering all sources, with relaxed lookup and `${…}` placeholders resolved.
///
/// This is the escape hatch for keys the typed ``IntegrasjonspunktConfiguration`` does not model yet:
/// `config.raw.string("difi.move.dpv.endpointUrl")`, `try config.raw.duration("difi.move.dpi.pollingrate")`.
/// Any spelling of a key finds it (`default-ttl-hours`, `defaultTtlHours`, `DEFAULT_TTL_HOURS`).
public struct ConfigurationValues: Sendable {
    /// One effective key.
    public struct Entry: Sendable, Equatable {
        /// The key as spelled by the source that set it.
        public var key: String
        /// The value as written, placeholders unresolved.
        public var rawValue: String
        /// The value with placeholders resolved; `nil` when a placeholder names a key nobody set.
        public var value: String?
        /// Where the value came from: "built-in default", "profile production", a file path, "environment variable
        /// DIFI_MOVE_ORG_NUMBER", "command line".
        public var source: String
        /// Whether the value came from the built-in or profile defaults rather than from the user.
        public var isDefault: Bool
        /// Placeholders nobody could resolve.
        public var unresolvedPlaceholders: [String]
    }

    /// One source of keys, lowest precedence first when handed to `init`.
    struct Layer {
        var name: String
        var isDefault: Bool
        var entries: [(key: String, value: String, source: String)]

        init(name: String, isDefault: Bool = false, entries: [(key: String, value: String, source: String)]) {
            self.name = name
            self.isDefault = isDefault
            self.entries = entries
        }

        init(name: String, isDefault: Bool = false, pairs: [(String, String)]) {
            self.init(name: name, isDefault: isDefault, entries: pairs.map { ($0.0, $0.1, name) })
        }
    }

    /// Canonical key → entry.
    private var storage: [String: Entry]

    init(layers: [Layer], environment: [String: String]) {
        var merged: [String: Entry] = [:]
        var mergedListBases = Set<String>()
        for layer in layers {
            var plainKeys = Set<String>()
            var listBases = Set<String>()
            for entry in layer.entries {
                let canonical = RelaxedKey.canonical(entry.key)
                if let bracket = canonical.firstIndex(of: "[") {
                    listBases.insert(String(canonical[..<bracket]))
                } else {
                    plainKeys.insert(canonical)
                }
            }
            // A source that sets a list replaces the whole list of lower sources, in either notation.
            for base in plainKeys.union(listBases) where mergedListBases.contains(base) {
                for key in merged.keys where key.hasPrefix(base + "[") { merged[key] = nil }
            }
            for base in listBases where !plainKeys.contains(base) { merged[base] = nil }
            mergedListBases.formUnion(listBases)
            for entry in layer.entries {
                merged[RelaxedKey.canonical(entry.key)] = Entry(
                    key: entry.key, rawValue: entry.value, value: nil, source: entry.source,
                    isDefault: layer.isDefault, unresolvedPlaceholders: [])
            }
        }
        var resolver = PlaceholderResolver(entries: merged, environment: environment)
        for key in merged.keys {
            let (value, missing) = resolver.resolve(key: key)
            merged[key]?.value = missing.isEmpty ? value : nil
            merged[key]?.unresolvedPlaceholders = missing
        }
        storage = merged
    }

    // MARK: Lookup

    /// The entry for a key in any spelling.
    public func entry(_ key: String) -> Entry? {
        storage[RelaxedKey.canonical(key)]
    }

    /// The resolved value, or `nil` when the key is not set (or names an unresolvable placeholder). For a list set
    /// only as `key[0]`, `key[1]`, … the items are joined with commas.
    public func string(_ key: String) -> String? {
        let canonical = RelaxedKey.canonical(key)
        if let entry = storage[canonical] { return entry.value }
        let items = indexedItems(canonical)
        return items.isEmpty ? nil : items.joined(separator: ",")
    }

    /// Whether the key has an effective value from any source (defaults included).
    public func contains(_ key: String) -> Bool {
        string(key) != nil
    }

    /// A list: `key[0]`, `key[1]`, … when given that way, else the comma-separated items of `key`.
    public func list(_ key: String) -> [String]? {
        let canonical = RelaxedKey.canonical(key)
        let items = indexedItems(canonical)
        if !items.isEmpty { return items }
        return storage[canonical]?.value.map(ValueSyntax.list)
    }

    public func bool(_ key: String) throws(ConfigurationError) -> Bool? {
        try typed(key, ValueSyntax.bool, expected: "is not a boolean", fix: "Use true or false.")
    }

    public func int(_ key: String) throws(ConfigurationError) -> Int? {
        try typed(key, ValueSyntax.int, expected: "is not a whole number", fix: "Use digits only, e.g. 10.")
    }

    public func double(_ key: String) throws(ConfigurationError) -> Double? {
        try typed(key, ValueSyntax.double, expected: "is not a number", fix: "Use a number, e.g. 1.5.")
    }

    /// A duration; a plain number counts in `plainUnit` (milliseconds unless told otherwise).
    public func duration(_ key: String, plainUnit: Duration = .milliseconds(1)) throws(ConfigurationError) -> Duration? {
        try typed(key, { ValueSyntax.duration($0, plainUnit: plainUnit) }, expected: "is not a duration",
                  fix: "Use e.g. 500ms, 20s, 5m, 1h, 2d, PT20S, or a plain number of milliseconds.")
    }

    /// A size in bytes (`5MB`, `1GB`, `500KB`, or a plain number of bytes).
    public func dataSize(_ key: String) throws(ConfigurationError) -> Int64? {
        try typed(key, ValueSyntax.dataSize, expected: "is not a data size",
                  fix: "Use e.g. 500KB, 5MB, 1GB, or a plain number of bytes.")
    }

    private func typed<T>(_ key: String, _ parse: (String) -> T?, expected: String, fix: String)
        throws(ConfigurationError) -> T?
    {
        guard let text = string(key), !text.trimmingWhitespace().isEmpty else { return nil }
        guard let value = parse(text) else {
            let shownKey = entry(key)?.key ?? key
            throw ConfigurationError(problems: [
                ConfigurationProblem(key: shownKey, value: text, problem: expected, fix: fix),
            ])
        }
        return value
    }

    private func indexedItems(_ canonical: String) -> [String] {
        let prefix = canonical + "["
        var items: [(Int, String)] = []
        for (key, entry) in storage where key.hasPrefix(prefix) {
            let rest = key.dropFirst(prefix.count)
            guard let close = rest.firstIndex(of: "]"), rest.index(after: close) == rest.endIndex,
                  let index = Int(rest[..<close]), let value = entry.value else { continue }
            items.append((index, value))
        }
        return items.sorted { $0.0 < $1.0 }.map(\.1)
    }

    // MARK: Listing

    /// All effective entries, sorted by key.
    public var entries: [Entry] {
        storage.sorted { $0.key < $1.key }.map(\.value)
    }

    /// The canonical keys that start with `prefix` (any spelling), e.g. the org numbers under
    /// `difi.move.fiks.inn.paaVegneAv.`.
    public func keys(withPrefix prefix: String) -> [String] {
        let canonical = RelaxedKey.canonical(prefix)
        return storage.keys.filter { $0.hasPrefix(canonical) }.sorted()
    }

    /// Every effective `key=value`, one a line, sorted, with secrets masked and the source of each value.
    public func maskedDump() -> String {
        entries.map { entry in
            let shown = entry.value.map { Secrets.masked($0, forKey: entry.key) }
                ?? "\(entry.rawValue) (unresolved)"
            return "\(entry.key)=\(shown)    # \(entry.source)"
        }.joined(separator: "\n")
    }
}

/// Resolves `${key}` and `${key:default}` across all sources, recursively, with cycle detection.
private struct PlaceholderResolver {
    let entries: [String: ConfigurationValues.Entry]
    let environment: [String: String]
    var memo: [String: (String, [String])] = [:]

    init(entries: [String: ConfigurationValues.Entry], environment: [String: String]) {
        self.entries = entries
        self.environment = environment
    }

    mutating func resolve(key: String) -> (String, [String]) {
        var visiting = Set<String>()
        return resolve(key: key, visiting: &visiting)
    }

    private mutating func resolve(key: String, visiting: inout Set<String>) -> (String, [String]) {
        if let done = memo[key] { return done }
        guard let entry = entries[key] else { return ("", [key]) }
        visiting.insert(key)
        let result = expand(entry.rawValue, visiting: &visiting)
        visiting.remove(key)
        memo[key] = result
        return result
    }

    private mutating func expand(_ text: String, visiting: inout Set<String>) -> (String, [String]) {
        guard text.contains("${") else { return (text, []) }
        var output = ""
        var missing: [String] = []
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            output += rest[..<start.lowerBound]
            // Find the matching close brace, allowing nested ${…} in the default.
            var depth = 1
            var index = start.upperBound
            var nameEnd: Substring.Index?
            while index < rest.endIndex {
                if rest[index...].hasPrefix("${") {
                    depth += 1
                    index = rest.index(index, offsetBy: 2)
                    continue
                }
                if rest[index] == "}" {
                    depth -= 1
                    if depth == 0 { nameEnd = index; break }
                }
                index = rest.index(after: index)
            }
            guard let end = nameEnd else {
                output += rest[start.lowerBound...]  // no closing brace: keep literally, as Spring does
                rest = rest[rest.endIndex...]
                break
            }
            let inner = rest[start.upperBound..<end]
            let name: Substring
            let fallback: Substring?
            if let colon = inner.firstIndex(of: ":") {
                name = inner[..<colon]
                fallback = inner[inner.index(after: colon)...]
            } else {
                name = inner
                fallback = nil
            }
            let canonical = RelaxedKey.canonical(String(name))
            if entries[canonical] != nil, !visiting.contains(canonical) {
                let (value, innerMissing) = resolve(key: canonical, visiting: &visiting)
                if innerMissing.isEmpty {
                    output += value
                } else if let fallback {
                    let (value, fallbackMissing) = expand(String(fallback), visiting: &visiting)
                    output += value
                    missing += fallbackMissing
                } else {
                    missing += innerMissing
                }
            } else if let environmentValue = environment[String(name)] {
                output += environmentValue
            } else if let fallback {
                let (value, fallbackMissing) = expand(String(fallback), visiting: &visiting)
                output += value
                missing += fallbackMissing
            } else {
                missing.append(String(name))
            }
            rest = rest[rest.index(after: end)...]
        }
        output += rest
        return (output, missing)
    }
}
