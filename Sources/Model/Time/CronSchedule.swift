import Foundation

/// A Spring cron expression (`second minute hour day-of-month month day-of-week`), as the upstream uses for
/// `difi.move.nextmove.statusPollingCron` (`0 * * * * *`: at second 0 of every minute; `*/2 * * * * *`: every
/// two seconds).
///
/// Supported in each field: `*`, `?`, a number, a range `a-b`, a list `a,b`, and steps `*/n`, `a/n`, `a-b/n`;
/// month names `JAN`–`DEC` and day names `SUN`–`SAT` (0 and 7 are both Sunday). Spring's `L`, `W` and `#`, and
/// macros such as `@hourly`, are refused with a message naming them. Ticks are computed in `timeZone`.
public struct CronSchedule: Sendable, Equatable, CustomStringConvertible {
    public let expression: String
    let seconds: Set<Int>
    let minutes: Set<Int>
    let hours: Set<Int>
    let daysOfMonth: Set<Int>
    let months: Set<Int>
    /// 0 = Sunday … 6 = Saturday.
    let daysOfWeek: Set<Int>
    let dayOfMonthRestricted: Bool
    let dayOfWeekRestricted: Bool
    public let timeZone: TimeZone

    public var description: String { expression }

    public struct ParseError: Error, CustomStringConvertible, Equatable {
        public let description: String
    }

    public init(_ expression: String, timeZone: TimeZone = .current) throws {
        let fields = expression.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard fields.count == 6 else {
            throw ParseError(description: "'\(expression)' has \(fields.count) fields; a Spring cron expression has six: second minute hour day-of-month month day-of-week (e.g. '0 * * * * *')")
        }
        self.expression = expression
        self.timeZone = timeZone
        seconds = try Self.field(fields[0], name: "second", range: 0...59)
        minutes = try Self.field(fields[1], name: "minute", range: 0...59)
        hours = try Self.field(fields[2], name: "hour", range: 0...23)
        daysOfMonth = try Self.field(fields[3], name: "day-of-month", range: 1...31)
        months = try Self.field(fields[4], name: "month", range: 1...12, names: Self.monthNames)
        let week = try Self.field(fields[5], name: "day-of-week", range: 0...7, names: Self.dayNames)
        daysOfWeek = Set(week.map { $0 % 7 })
        dayOfMonthRestricted = !(fields[3] == "*" || fields[3] == "?")
        dayOfWeekRestricted = !(fields[5] == "*" || fields[5] == "?")
    }

    /// The first tick strictly after `date`; nil if there is none within five years (e.g. `0 0 0 30 2 *`).
    public func next(after date: Date) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        var components = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second],
                                                 from: date.addingTimeInterval(1))
        components.nanosecond = 0
        guard var candidate = calendar.date(from: components) else { return nil }
        let limit = date.addingTimeInterval(5 * 366 * 86_400)
        while candidate <= limit {
            let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: candidate)
            guard let month = c.month, let day = c.day, let hour = c.hour, let minute = c.minute,
                  let second = c.second, let weekday = c.weekday else { return nil }
            if !months.contains(month) {
                candidate = Self.startOfNextMonth(candidate, calendar: calendar) ?? limit.addingTimeInterval(1)
                continue
            }
            if !dayMatches(day: day, weekday: weekday - 1) {
                candidate = calendar.date(byAdding: .day, value: 1, to: calendar.startOfDay(for: candidate))
                    ?? limit.addingTimeInterval(1)
                continue
            }
            if !hours.contains(hour) {
                candidate = Self.truncated(candidate, to: [.year, .month, .day, .hour], calendar: calendar)
                    .addingTimeInterval(3600)
                continue
            }
            if !minutes.contains(minute) {
                candidate = Self.truncated(candidate, to: [.year, .month, .day, .hour, .minute], calendar: calendar)
                    .addingTimeInterval(60)
                continue
            }
            if !seconds.contains(second) {
                candidate = candidate.addingTimeInterval(1)
                continue
            }
            return candidate
        }
        return nil
    }

    /// Spring (like cron) matches either day field when both are restricted, else the restricted one.
    private func dayMatches(day: Int, weekday: Int) -> Bool {
        switch (dayOfMonthRestricted, dayOfWeekRestricted) {
        case (true, true): daysOfMonth.contains(day) || daysOfWeek.contains(weekday)
        case (true, false): daysOfMonth.contains(day)
        case (false, true): daysOfWeek.contains(weekday)
        case (false, false): true
        }
    }

    private static func truncated(_ date: Date, to parts: Set<Calendar.Component>, calendar: Calendar) -> Date {
        calendar.date(from: calendar.dateComponents(parts, from: date)) ?? date
    }

    private static func startOfNextMonth(_ date: Date, calendar: Calendar) -> Date? {
        let start = truncated(date, to: [.year, .month], calendar: calendar)
        return calendar.date(byAdding: .month, value: 1, to: start)
    }

    static let monthNames = ["JAN": 1, "FEB": 2, "MAR": 3, "APR": 4, "MAY": 5, "JUN": 6, "JUL": 7, "AUG": 8,
                             "SEP": 9, "OCT": 10, "NOV": 11, "DEC": 12]
    static let dayNames = ["SUN": 0, "MON": 1, "TUE": 2, "WED": 3, "THU": 4, "FRI": 5, "SAT": 6]

    private static func field(_ text: String, name: String, range: ClosedRange<Int>,
                              names: [String: Int] = [:]) throws -> Set<Int> {
        var values = Set<Int>()
        for part in text.split(separator: ",", omittingEmptySubsequences: false).map(String.init) {
            values.formUnion(try item(part, name: name, range: range, names: names))
        }
        return values
    }

    private static func item(_ part: String, name: String, range: ClosedRange<Int>,
                             names: [String: Int]) throws -> Set<Int> {
        let bad = { (why: String) in ParseError(description: "the \(name) field '\(part)' \(why)") }
        if part.contains(where: { "LW#".contains($0) }) && !names.keys.contains(where: { part.uppercased().contains($0) }) {
            throw bad("uses L, W or #, which this integration point does not support; use numbers, ranges, lists and steps")
        }
        let pieces = part.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard pieces.count <= 2 else { throw bad("has more than one '/'") }
        var step = 1
        if pieces.count == 2 {
            guard let parsed = Int(pieces[1]), parsed > 0 else { throw bad("needs a positive step after '/'") }
            step = parsed
        }
        let base = pieces[0]
        var low = range.lowerBound, high = range.upperBound
        if base == "*" || base == "?" {
            if base == "?" && pieces.count == 2 { throw bad("cannot step '?'") }
        } else if let dash = base.firstIndex(of: "-") {
            low = try value(String(base[..<dash]), name: name, range: range, names: names, part: part)
            high = try value(String(base[base.index(after: dash)...]), name: name, range: range, names: names, part: part)
            guard low <= high else { throw bad("is a range that runs backwards") }
        } else {
            low = try value(base, name: name, range: range, names: names, part: part)
            if pieces.count == 1 { high = low }
        }
        return Set(stride(from: low, through: high, by: step))
    }

    private static func value(_ text: String, name: String, range: ClosedRange<Int>, names: [String: Int],
                              part: String) throws -> Int {
        if let number = Int(text), range.contains(number) { return number }
        if let named = names[text.uppercased()] { return named }
        throw ParseError(description: "the \(name) field '\(part)' is not a number in \(range.lowerBound)–\(range.upperBound)\(names.isEmpty ? "" : " or a name such as \(names.keys.sorted().prefix(3).joined(separator: ", "))")")
    }
}
