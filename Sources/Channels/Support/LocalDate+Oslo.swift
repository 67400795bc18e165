import Foundation
import Model

extension LocalDate {
    /// Midnight of this date in Oslo: how SvarUt's date-times carry the arkivmelding's dates
    /// (`2024-03-01T00:00:00+01:00`), and when a DPI letter's virkningsdato begins.
    var startOfDayInOslo: OffsetDateTime {
        // The offset at local noon is the offset of the whole day except on the two switch nights, when midnight
        // itself is never ambiguous (the switches happen at 02:00/03:00).
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = OsloTime.timeZone
        let noon = calendar.date(from: DateComponents(year: year, month: month, day: day, hour: 12)) ?? Date()
        let offset = OsloTime.offsetSeconds(at: noon)
        return OffsetDateTime(year: year, month: month, day: day, hour: 0, minute: 0, offsetSeconds: offset)
    }
}
