import Foundation
import Logging
import Synchronization

/// One log event, after person numbers are masked.
public struct LogRecord: Sendable {
    public var timestamp: Date
    public var level: Logger.Level
    public var label: String
    public var message: String
    public var metadata: [String: String]
    public var source: String
}

/// How a log event becomes one line: readable text (the default) or one JSON object per line
/// (`app.logger.stdoutAppender=JSON`, shaped like the upstream LogstashEncoder).
public enum LogLineFormat: Sendable, Equatable {
    case text
    case json(staticFields: [String: String])

    public func render(_ record: LogRecord) -> String {
        switch self {
        case .text:
            var line = "\(Self.textTimestamp(record.timestamp)) \(Self.levelName(record.level).padding(toLength: 5, withPad: " ", startingAt: 0)) [\(record.label)] \(record.message)"
            for key in record.metadata.keys.sorted() {
                line += " \(key)=\(record.metadata[key]!)"
            }
            return line
        case .json(let staticFields):
            var fields: [(String, String)] = [
                ("@timestamp", Self.isoTimestamp(record.timestamp)),
                ("level", Self.levelName(record.level)),
                ("logger_name", record.label),
                ("message", record.message),
            ]
            let reserved: Set<String> = ["@timestamp", "level", "logger_name", "message"]
            for key in staticFields.keys.sorted() where !reserved.contains(key) && record.metadata[key] == nil {
                fields.append((key, staticFields[key]!))
            }
            for key in record.metadata.keys.sorted() where !reserved.contains(key) {
                fields.append((key, record.metadata[key]!))
            }
            return "{" + fields.map { "\(Self.jsonString($0.0)):\(Self.jsonString($0.1))" }.joined(separator: ",") + "}"
        }
    }

    /// The upstream (logback) level names.
    public static func levelName(_ level: Logger.Level) -> String {
        switch level {
        case .trace: "TRACE"
        case .debug: "DEBUG"
        case .info, .notice: "INFO"
        case .warning: "WARN"
        case .error, .critical: "ERROR"
        }
    }

    static func jsonString(_ value: String) -> String {
        var out = "\""
        out.reserveCapacity(value.utf8.count + 2)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    static func isoTimestamp(_ date: Date) -> String {
        isoSeconds.format(date) { whole in
            // "2026-11-22T14:35:00.000Z" → "2026-11-22T14:35:00"
            String(whole.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)).prefix(19))
        } + "Z"
    }

    static func textTimestamp(_ date: Date) -> String {
        textSeconds.format(date) { whole in
            let style = Date.ISO8601FormatStyle(dateSeparator: .dash, dateTimeSeparator: .space, timeSeparator: .colon,
                                                timeZoneSeparator: .omitted, includingFractionalSeconds: true,
                                                timeZone: .current)
            // "2026-11-22 14:35:00.000+0100" → "2026-11-22 14:35:00"; the JSON form carries UTC.
            return String(whole.formatted(style).prefix(19))
        }
    }

    /// Formatting a date with Foundation's styles costs more than the rest of a log line; lines come many to a
    /// second, so the date and time are formatted once a second and the milliseconds appended.
    private static let isoSeconds = SecondFormatCache()
    private static let textSeconds = SecondFormatCache()
}

/// The formatted form of the last whole second, reused while the second lasts.
final class SecondFormatCache: Sendable {
    private let last = Mutex<(second: Int64, text: String)?>(nil)

    /// `"<whole second>.mmm"`, with the whole second formatted by `formatSecond` when it changed.
    func format(_ date: Date, formatSecond: (Date) -> String) -> String {
        let time = date.timeIntervalSince1970
        let second = Int64(time.rounded(.down))
        let millis = min(Int((time - Double(second)) * 1000), 999)
        let cached = last.withLock { value -> String? in value?.second == second ? value?.text : nil }
        let whole: String
        if let cached {
            whole = cached
        } else {
            whole = formatSecond(Date(timeIntervalSince1970: Double(second)))
            last.withLock { $0 = (second, whole) }
        }
        let digits = String(millis)
        return whole + "." + String(repeating: "0", count: 3 - digits.count) + digits
    }
}
