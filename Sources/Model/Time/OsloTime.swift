import Foundation
import Synchronization

/// Formats instants the way the upstream writes them: ISO-8601 with the Europe/Oslo offset,
/// fraction digits only when non-zero (`2019-03-25T12:38:23.123456+01:00`, `2019-03-25T12:38:23+01:00`).
public enum OsloTime {
    public static let timeZone: TimeZone = TimeZone(identifier: "Europe/Oslo") ?? TimeZone(secondsFromGMT: 3600)!

    /// The Oslo offset of the UTC hour last asked for. The zone's offset changes only at whole UTC hours (01:00 UTC
    /// in spring and autumn), so it is the same for every instant of that hour; asking the time zone costs a
    /// look-up in its rules each time.
    private static let lastHour = Mutex<(hour: Int, offset: Int)?>(nil)

    /// The offset from UTC that applies in Oslo at `date`.
    public static func offsetSeconds(at date: Date) -> Int {
        let hour = Int((date.timeIntervalSince1970 / 3600).rounded(.down))
        if let known = lastHour.withLock({ $0 }), known.hour == hour { return known.offset }
        let offset = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(hour) * 3600))
        lastHour.withLock { $0 = (hour, offset) }
        return offset
    }

    /// The instant written with the Oslo offset that applies at that instant.
    public static func format(_ date: Date) -> String {
        format(date, offsetSeconds: offsetSeconds(at: date))
    }

    /// The instant written with a given offset from UTC (microsecond precision, as `Date` holds).
    public static func format(_ date: Date, offsetSeconds: Int) -> String {
        OffsetDateTime(date, offsetSeconds: offsetSeconds).description
    }
}
