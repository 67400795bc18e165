import Foundation

/// A date-time with the offset it was written with, like Java's `OffsetDateTime`.
///
/// The upstream echoes client dates with the client's offset (`ADJUST_DATES_TO_CONTEXT_TIME_ZONE` off), so a value
/// keeps its local fields and offset and is written back the way `ISO_OFFSET_DATE_TIME` writes them: seconds always,
/// fraction digits only when non-zero (trailing zeros dropped), `Z` for a zero offset (`nextmove-api.md` §1.1).
public struct OffsetDateTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int
    public var hour: Int
    public var minute: Int
    public var second: Int
    public var nanosecond: Int
    public var offsetSeconds: Int

    public init(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int = 0, nanosecond: Int = 0,
                offsetSeconds: Int) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
        self.nanosecond = nanosecond
        self.offsetSeconds = offsetSeconds
    }

    /// The instant `date` written with `offsetSeconds` (microsecond precision, as `Date` holds).
    public init(_ date: Date, offsetSeconds: Int) {
        let total = date.timeIntervalSince1970
        var whole = Int(total.rounded(.down))
        var micros = Int(((total - Double(whole)) * 1_000_000).rounded())
        if micros >= 1_000_000 { whole += 1; micros -= 1_000_000 }
        let local = whole + offsetSeconds
        let days = Int((Double(local) / 86_400).rounded(.down))
        let secondsOfDay = local - days * 86_400
        let (y, m, d) = CivilCalendar.civil(fromDays: days)
        self.init(year: y, month: m, day: d, hour: secondsOfDay / 3600, minute: secondsOfDay % 3600 / 60,
                  second: secondsOfDay % 60, nanosecond: micros * 1000, offsetSeconds: offsetSeconds)
    }

    /// The instant written with the Europe/Oslo offset of that instant (the server clock's zone).
    public init(oslo date: Date) {
        self.init(date, offsetSeconds: OsloTime.offsetSeconds(at: date))
    }

    /// The instant this value denotes.
    public var date: Date {
        let days = CivilCalendar.days(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        return Date(timeIntervalSince1970: Double(seconds) + Double(nanosecond) / 1_000_000_000)
    }

    /// The same instant expressed in UTC (`Z`), as Java's `Instant` is written.
    public var utc: OffsetDateTime {
        var copy = OffsetDateTime(date, offsetSeconds: 0)
        copy.nanosecond = nanosecond
        return copy
    }

    /// The ISO-8601 text, as `DateTimeFormatter.ISO_OFFSET_DATE_TIME` writes it.
    public var description: String {
        var text = ""
        text.reserveCapacity(36)
        PaddedDigits.append(year, width: 4, to: &text)
        text += "-"
        PaddedDigits.append(month, width: 2, to: &text)
        text += "-"
        PaddedDigits.append(day, width: 2, to: &text)
        text += "T"
        PaddedDigits.append(hour, width: 2, to: &text)
        text += ":"
        PaddedDigits.append(minute, width: 2, to: &text)
        text += ":"
        PaddedDigits.append(second, width: 2, to: &text)
        if nanosecond > 0 {
            var fraction = ""
            PaddedDigits.append(nanosecond, width: 9, to: &fraction)
            while fraction.hasSuffix("0") { fraction.removeLast() }
            text += "." + fraction
        }
        return text + OffsetDateTime.offsetText(offsetSeconds)
    }

    /// `Z`, or `+HH:MM` (`+HH:MM:SS` when the offset has seconds), as Java writes a `ZoneOffset`.
    static func offsetText(_ offset: Int) -> String {
        if offset == 0 { return "Z" }
        let a = abs(offset)
        var text = offset < 0 ? "-" : "+"
        PaddedDigits.append(a / 3600, width: 2, to: &text)
        text += ":"
        PaddedDigits.append(a % 3600 / 60, width: 2, to: &text)
        if a % 60 != 0 {
            text += ":"
            PaddedDigits.append(a % 60, width: 2, to: &text)
        }
        return text
    }

    public static func < (lhs: OffsetDateTime, rhs: OffsetDateTime) -> Bool {
        lhs.date < rhs.date
    }

    /// Whether both denote the same instant, whatever their offsets.
    public func isSameInstant(as other: OffsetDateTime) -> Bool {
        date == other.date
    }

    public func adding(seconds: TimeInterval) -> OffsetDateTime {
        OffsetDateTime(date.addingTimeInterval(seconds), offsetSeconds: offsetSeconds)
    }
}

extension OffsetDateTime {
    /// Parses `ISO_DATE_TIME` text the way the upstream's deserializer does: an offset (`Z`, `+01:00`, `+0100`,
    /// `+01`) is kept; a text without offset is local time in Europe/Oslo; a trailing `[Zone/Id]` is ignored.
    /// Returns nil when the text is not a date-time.
    public init?(parsing text: String) {
        var s = Substring(text)
        if s.hasSuffix("]"), let open = s.lastIndex(of: "[") { s = s[..<open] }
        let chars = Array(s.utf8)
        var i = 0
        func digits(_ n: Int) -> Int? {
            guard i + n <= chars.count else { return nil }
            var v = 0
            for k in 0..<n {
                let c = chars[i + k]
                guard c >= 48 && c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            i += n
            return v
        }
        func expect(_ c: UInt8) -> Bool {
            guard i < chars.count, chars[i] == c else { return false }
            i += 1
            return true
        }
        guard let y = digits(4), expect(45), let mo = digits(2), expect(45), let d = digits(2),
              i < chars.count, chars[i] == 84 || chars[i] == 116 else { return nil }
        i += 1
        guard let h = digits(2), expect(58), let mi = digits(2) else { return nil }
        var sec = 0, nanos = 0
        if expect(58) {
            guard let s = digits(2) else { return nil }
            sec = s
            if i < chars.count, chars[i] == 46 || chars[i] == 44 {
                i += 1
                var count = 0
                while i < chars.count, chars[i] >= 48, chars[i] <= 57 {
                    guard count < 9 else { return nil }
                    nanos = nanos * 10 + Int(chars[i] - 48)
                    count += 1
                    i += 1
                }
                guard count > 0 else { return nil }
                for _ in count..<9 { nanos *= 10 }
            }
        }
        guard (1...12).contains(mo), d >= 1, d <= CivilCalendar.daysInMonth(year: y, month: mo),
              h < 24, mi < 60, sec < 60 else { return nil }
        var offset: Int?
        if i == chars.count {
            offset = nil
        } else if chars[i] == 90 || chars[i] == 122 {  // Z
            i += 1
            offset = 0
        } else if chars[i] == 43 || chars[i] == 45 {  // + -
            let negative = chars[i] == 45
            i += 1
            guard let oh = digits(2) else { return nil }
            var om = 0, os = 0
            if expect(58) {
                guard let m = digits(2) else { return nil }
                om = m
                if expect(58) { guard let s = digits(2) else { return nil }; os = s }
            } else if i < chars.count {
                guard let m = digits(2) else { return nil }
                om = m
                if i < chars.count { guard let s = digits(2) else { return nil }; os = s }
            }
            guard oh <= 18, om < 60, os < 60 else { return nil }
            let total = oh * 3600 + om * 60 + os
            offset = negative ? -total : total
        } else {
            return nil
        }
        guard i == chars.count else { return nil }
        let resolved = offset ?? OffsetDateTime.osloOffset(year: y, month: mo, day: d, hour: h, minute: mi, second: sec)
        self.init(year: y, month: mo, day: d, hour: h, minute: mi, second: sec, nanosecond: nanos,
                  offsetSeconds: resolved)
    }

    /// The Europe/Oslo offset in force at a local wall-clock time.
    static func osloOffset(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) -> Int {
        let localSeconds = CivilCalendar.days(year: year, month: month, day: day) * 86_400 + hour * 3600
            + minute * 60 + second
        let tz = OsloTime.timeZone
        var offset = tz.secondsFromGMT(for: Date(timeIntervalSince1970: Double(localSeconds)))
        offset = tz.secondsFromGMT(for: Date(timeIntervalSince1970: Double(localSeconds - offset)))
        return offset
    }
}

extension OffsetDateTime: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = OffsetDateTime(parsing: text) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "Cannot deserialize value of type `java.time.OffsetDateTime` from String \"\(text)\"")
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// Proleptic Gregorian day arithmetic (days since 1970-01-01), independent of `Calendar`.
enum CivilCalendar {
    static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

/// Decimal text with leading zeros, as `String(format: "%0*d")` writes it, without Foundation's formatter (which
/// costs microseconds a call on Linux; several dates are written for every message).
enum PaddedDigits {
    static func append(_ value: Int, width: Int, to text: inout String) {
        if value < 0 {
            text += "-"
            append(-value, width: width - 1, to: &text)
            return
        }
        let digits = String(value)
        if digits.utf8.count < width { text += String(repeating: "0", count: width - digits.utf8.count) }
        text += digits
    }
}
