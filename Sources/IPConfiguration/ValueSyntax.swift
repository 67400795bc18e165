/// The value syntaxes Spring Boot accepts for typed properties.
public enum ValueSyntax {
    /// `true`/`false` in any case; like Spring, also `yes`/`no`, `on`/`off`, `1`/`0`.
    public static func bool(_ text: String) -> Bool? {
        switch text.trimmingWhitespace().lowercased() {
        case "true", "yes", "on", "1": return true
        case "false", "no", "off", "0": return false
        default: return nil
        }
    }

    public static func int(_ text: String) -> Int? {
        var trimmed = text.trimmingWhitespace()
        if trimmed.hasPrefix("+") { trimmed.removeFirst() }
        return Int(trimmed)
    }

    public static func double(_ text: String) -> Double? {
        Double(text.trimmingWhitespace())
    }

    /// A duration: `500ms`, `20s`, `5m`, `1h`, `2d` (also `ns`, `us`), ISO-8601 (`PT20S`, `P1DT2H`, `PT0.5S`),
    /// or a plain number in `plainUnit` (milliseconds for every duration key this module reads).
    public static func duration(_ text: String, plainUnit: Duration = .milliseconds(1)) -> Duration? {
        let trimmed = text.trimmingWhitespace()
        guard !trimmed.isEmpty else { return nil }
        if let number = Int64(trimmed) { return plainUnit * number }
        let upper = trimmed.uppercased()
        if upper.hasPrefix("P") || upper.hasPrefix("-P") { return isoDuration(upper) }
        let lower = trimmed.lowercased()
        let units: [(String, Duration)] = [
            ("ns", .nanoseconds(1)), ("us", .microseconds(1)), ("ms", .milliseconds(1)),
            ("s", .seconds(1)), ("m", .seconds(60)), ("h", .seconds(3600)), ("d", .seconds(86400)),
        ]
        for (suffix, unit) in units where lower.hasSuffix(suffix) {
            let number = lower.dropLast(suffix.count)
            // "ms" also ends in "s": only accept when the rest is a number.
            if let value = Int64(number.trimmingWhitespace()) { return unit * value }
        }
        return nil
    }

    private static func isoDuration(_ text: String) -> Duration? {
        var rest = Substring(text)
        var negative = false
        if rest.hasPrefix("-") { negative = true; rest = rest.dropFirst() }
        guard rest.hasPrefix("P") else { return nil }
        rest = rest.dropFirst()
        var total = Duration.zero
        var inTime = false
        var number = ""
        var sawComponent = false
        for character in rest {
            if character == "T" {
                guard !inTime, number.isEmpty else { return nil }
                inTime = true
                continue
            }
            if character.isNumber || character == "." || character == "," || character == "-" {
                number.append(character == "," ? "." : character)
                continue
            }
            guard let value = Double(number) else { return nil }
            number = ""
            let seconds: Double
            switch (character, inTime) {
            case ("D", false): seconds = 86400
            case ("H", true): seconds = 3600
            case ("M", true): seconds = 60
            case ("S", true): seconds = 1
            default: return nil
            }
            total += .milliseconds(Int64((value * seconds * 1000).rounded()))
            sawComponent = true
        }
        guard number.isEmpty, sawComponent else { return nil }
        return negative ? .zero - total : total
    }

    /// A data size in bytes: `5MB`, `1GB`, `500KB`, `10B`, `1TB` (binary multiples, as Spring's `DataSize`; units in
    /// any case), or a plain number of bytes.
    public static func dataSize(_ text: String) -> Int64? {
        let trimmed = text.trimmingWhitespace().uppercased()
        guard !trimmed.isEmpty else { return nil }
        if let number = Int64(trimmed) { return number }
        let units: [(String, Int64)] = [("KB", 1 << 10), ("MB", 1 << 20), ("GB", 1 << 30), ("TB", 1 << 40), ("B", 1)]
        for (suffix, multiplier) in units where trimmed.hasSuffix(suffix) {
            guard let value = Int64(trimmed.dropLast(suffix.count).trimmingWhitespace()) else { return nil }
            let (product, overflow) = value.multipliedReportingOverflow(by: multiplier)
            return overflow ? nil : product
        }
        return nil
    }

    /// A comma-separated list; items are trimmed and empty items dropped.
    public static func list(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
    }

    /// Formats a duration the way the configuration accepts it back (`20s`, `1h`, `30000ms`).
    public static func format(_ duration: Duration) -> String {
        let ms = duration.wholeMilliseconds
        if ms % 86_400_000 == 0 && ms != 0 { return "\(ms / 86_400_000)d" }
        if ms % 3_600_000 == 0 && ms != 0 { return "\(ms / 3_600_000)h" }
        if ms % 60_000 == 0 && ms != 0 { return "\(ms / 60_000)m" }
        if ms % 1000 == 0 && ms != 0 { return "\(ms / 1000)s" }
        return "\(ms)ms"
    }
}

extension Duration {
    /// Whole milliseconds.
    var wholeMilliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }
}
