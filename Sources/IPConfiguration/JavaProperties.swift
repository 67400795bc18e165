/// A parser for Java `.properties` text, following `java.util.Properties.load`:
///
/// * a key ends at the first unescaped `=`, `:` or whitespace; whitespace and one `=` or `:` after it are skipped;
/// * `#` and `!` start comment lines; leading whitespace of every line is ignored;
/// * a line ending in an odd number of backslashes continues on the next line (whose leading whitespace is dropped);
/// * escapes: `\t`, `\n`, `\r`, `\f`, `\uXXXX`, and `\x` for any other `x` (so `\=`, `\:`, `\ `, `\\`, `\#`).
///
/// One deliberate difference: unescaped trailing whitespace of a value is dropped (Java keeps it, and Digdir's
/// troubleshooting page lists trailing spaces as a cause of "odd config errors"). Write `\ ` to keep a trailing space.
public enum JavaProperties {
    public struct Entry: Sendable, Equatable {
        public var key: String
        public var value: String
        /// The 1-based line where the entry starts.
        public var line: Int
    }

    public struct SyntaxProblem: Sendable, Equatable {
        public var line: Int
        public var message: String
    }

    /// Parses the text; a malformed `\u` escape is reported and the rest of the file still parsed.
    public static func parse(_ text: String) -> (entries: [Entry], problems: [SyntaxProblem]) {
        var entries: [Entry] = []
        var problems: [SyntaxProblem] = []
        let lines = naturalLines(text)
        var index = 0
        while index < lines.count {
            let startLine = index + 1
            var line = dropLeadingWhitespace(lines[index])
            index += 1
            if line.isEmpty || line.first == "#" || line.first == "!" { continue }
            var logical: [Character] = []
            while true {
                if endsWithOddBackslashes(line) {
                    logical.append(contentsOf: line.dropLast())
                    guard index < lines.count else { break }
                    line = dropLeadingWhitespace(lines[index])
                    index += 1
                } else {
                    logical.append(contentsOf: line)
                    break
                }
            }
            do {
                let (key, value) = try split(logical)
                entries.append(Entry(key: key, value: value, line: startLine))
            } catch {
                problems.append(SyntaxProblem(line: startLine, message: error.message))
            }
        }
        return (entries, problems)
    }

    private struct Malformed: Error { var message: String }

    private static func naturalLines(_ text: String) -> [[Character]] {
        var lines: [[Character]] = []
        var current: [Character] = []
        // Swift treats "\r\n" as one Character, so all three line ends are single characters here.
        for character in text {
            if character == "\n" || character == "\r" || character == "\r\n" {
                lines.append(current)
                current = []
            } else {
                current.append(character)
            }
        }
        lines.append(current)
        return lines
    }

    private static func isPropertiesWhitespace(_ c: Character) -> Bool {
        c == " " || c == "\t" || c == "\u{0C}"
    }

    private static func dropLeadingWhitespace(_ line: [Character]) -> [Character] {
        var start = 0
        while start < line.count, isPropertiesWhitespace(line[start]) { start += 1 }
        return Array(line[start...])
    }

    private static func endsWithOddBackslashes(_ line: [Character]) -> Bool {
        var count = 0
        var i = line.count - 1
        while i >= 0, line[i] == "\\" { count += 1; i -= 1 }
        return count % 2 == 1
    }

    private static func split(_ chars: [Character]) throws(Malformed) -> (String, String) {
        var keyEnd = 0
        var escaped = false
        while keyEnd < chars.count {
            let c = chars[keyEnd]
            if escaped {
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else if c == "=" || c == ":" || isPropertiesWhitespace(c) {
                break
            }
            keyEnd += 1
        }
        var valueStart = keyEnd
        while valueStart < chars.count, isPropertiesWhitespace(chars[valueStart]) { valueStart += 1 }
        if valueStart < chars.count, chars[valueStart] == "=" || chars[valueStart] == ":" {
            valueStart += 1
            while valueStart < chars.count, isPropertiesWhitespace(chars[valueStart]) { valueStart += 1 }
        }
        let key = try unescape(chars[0..<keyEnd], trimTrailing: false)
        let value = try unescape(chars[valueStart...], trimTrailing: true)
        return (key, value)
    }

    private static func unescape(_ chars: ArraySlice<Character>, trimTrailing: Bool) throws(Malformed) -> String {
        var result: [Character] = []
        var keepThrough = 0  // result[..<keepThrough] ends in a non-whitespace or an escaped character
        var i = chars.startIndex
        while i < chars.endIndex {
            let c = chars[i]
            i += 1
            guard c == "\\" else {
                result.append(c)
                if !isPropertiesWhitespace(c) { keepThrough = result.count }
                continue
            }
            guard i < chars.endIndex else { break }
            let e = chars[i]
            i += 1
            switch e {
            case "t": result.append("\t")
            case "n": result.append("\n")
            case "r": result.append("\r")
            case "f": result.append("\u{0C}")
            case "u":
                guard chars.endIndex - i >= 4, let code = UInt32(String(chars[i..<(i + 4)]), radix: 16) else {
                    throw Malformed(message: "malformed \\uXXXX escape (four hexadecimal digits expected)")
                }
                i += 4
                var scalar = Unicode.Scalar(code)
                // A UTF-16 surrogate pair written as two escapes (as native2ascii does): \uD83D\uDE00.
                if scalar == nil, (0xD800...0xDBFF).contains(code), chars.endIndex - i >= 6,
                   chars[i] == "\\", chars[i + 1] == "u",
                   let low = UInt32(String(chars[(i + 2)..<(i + 6)]), radix: 16), (0xDC00...0xDFFF).contains(low) {
                    scalar = Unicode.Scalar(0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00))
                    i += 6
                }
                guard let scalar else {
                    throw Malformed(message: "malformed \\uXXXX escape (an unpaired UTF-16 surrogate)")
                }
                result.append(Character(scalar))
            default: result.append(e)
            }
            keepThrough = result.count
        }
        if trimTrailing { result.removeSubrange(keepThrough...) }
        return String(result)
    }
}
