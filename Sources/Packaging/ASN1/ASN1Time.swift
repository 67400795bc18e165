import Foundation

/// `UTCTime` and `GeneralizedTime` as DER writes them (`YYMMDDHHMMSSZ`, `YYYYMMDDHHMMSSZ`), by arithmetic on the
/// digits.
///
/// A `DateFormatter` does the same, but making one (locale, time zone, ICU pattern) costs more than the rest of a
/// signature's attributes, and one was made for every ASiC-E signed and every one verified.
enum ASN1Time {
    /// The DER tag and text of `date`: `UTCTime` (0x17) before 2050, `GeneralizedTime` (0x18) from then on, as
    /// RFC 5280 §4.1.2.5 requires. Fractions of a second are dropped.
    static func encode(_ date: Date) -> (tag: UInt8, text: [UInt8]) {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400
        let secondOfDay = Int(seconds - days * 86400)
        let (year, month, day) = civil(fromDays: days)
        var text: [UInt8] = []
        let utc = year < 2050
        if utc {
            append(year % 100, digits: 2, to: &text)
        } else {
            append(year, digits: 4, to: &text)
        }
        append(month, digits: 2, to: &text)
        append(day, digits: 2, to: &text)
        append(secondOfDay / 3600, digits: 2, to: &text)
        append(secondOfDay / 60 % 60, digits: 2, to: &text)
        append(secondOfDay % 60, digits: 2, to: &text)
        text.append(UInt8(ascii: "Z"))
        return (utc ? 0x17 : 0x18, text)
    }

    /// The date in `text`: `YYMMDDHHMMSSZ` (`UTCTime`, years 1950–2049 by RFC 5280's rule) when `generalized` is
    /// false, else `YYYYMMDDHHMMSSZ`. Nil for anything else, out-of-range fields included.
    static func parse<Bytes: Collection>(_ text: Bytes, generalized: Bool) -> Date? where Bytes.Element == UInt8 {
        let bytes = Array(text)
        let yearDigits = generalized ? 4 : 2
        guard bytes.count == yearDigits + 11, bytes.last == UInt8(ascii: "Z") else { return nil }
        var fields: [Int] = []
        var index = 0
        for width in [yearDigits, 2, 2, 2, 2, 2] {
            var value = 0
            for _ in 0..<width {
                let byte = bytes[index]
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
                index += 1
            }
            fields.append(value)
        }
        var year = fields[0]
        if !generalized { year += year < 50 ? 2000 : 1900 }
        let (month, day, hour, minute, second) = (fields[1], fields[2], fields[3], fields[4], fields[5])
        guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year),
              hour < 24, minute < 60, second < 60 else { return nil }
        let days = Self.days(fromCivil: year, month, day)
        return Date(timeIntervalSince1970: TimeInterval(days * 86400 + Int64(hour * 3600 + minute * 60 + second)))
    }

    private static func append(_ value: Int, digits: Int, to text: inout [UInt8]) {
        var divisor = 1
        for _ in 1..<digits { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            text.append(UInt8(ascii: "0") + UInt8(rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a date in the proleptic Gregorian calendar (Howard Hinnant's `days_from_civil`).
    /// Model's `CivilCalendar` does the same for `OffsetDateTime`; Packaging stands on its own, without Model.
    static func days(fromCivil year: Int, _ month: Int, _ day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let m = Int64(month)
        let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date of a day counted from 1970-01-01 (Howard Hinnant's `civil_from_days`).
    static func civil(fromDays days: Int64) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = Int(dayOfYear - (153 * mp + 2) / 5 + 1)
        let month = Int(mp < 10 ? mp + 3 : mp - 9)
        let year = Int(yearOfEra + era * 400) + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }
}
