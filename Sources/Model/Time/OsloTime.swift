import Foundation

/// Formats instants the way the upstream writes them: ISO-8601 with the Europe/Oslo offset,
/// fraction digits only when non-zero (`2019-03-25T12:38:23.123456+01:00`, `2019-03-25T12:38:23+01:00`).
public enum OsloTime {
    public static let timeZone: TimeZone = TimeZone(identifier: "Europe/Oslo") ?? TimeZone(secondsFromGMT: 3600)!

    /// The instant written with the Oslo offset that applies at that instant.
    public static func format(_ date: Date) -> String {
        format(date, offsetSeconds: timeZone.secondsFromGMT(for: date))
    }

    /// The instant written with a given offset from UTC.
    public static func format(_ date: Date, offsetSeconds: Int) -> String {
        let shifted = date.addingTimeInterval(TimeInterval(offsetSeconds))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0)!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: shifted)
        var text = String(format: "%04d-%02d-%02dT%02d:%02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
        let seconds = shifted.timeIntervalSince1970
        let micros = Int(((seconds - seconds.rounded(.down)) * 1_000_000).rounded())
        if micros > 0 && micros < 1_000_000 {
            var fraction = String(format: "%06d", micros)
            while fraction.hasSuffix("0") { fraction.removeLast() }
            text += "." + fraction
        }
        return text + offsetText(offsetSeconds)
    }

    static func offsetText(_ offsetSeconds: Int) -> String {
        if offsetSeconds == 0 { return "Z" }
        let sign = offsetSeconds < 0 ? "-" : "+"
        let minutes = abs(offsetSeconds) / 60
        return String(format: "%@%02d:%02d", sign, minutes / 60, minutes % 60)
    }
}
