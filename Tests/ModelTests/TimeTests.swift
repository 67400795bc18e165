import Foundation
import Testing
@testable import Model

@Suite struct TimeTests {
    @Test(arguments: [
        ("2019-05-10T00:31:52+01:00", "2019-05-10T00:31:52+01:00"),
        ("2019-05-10T00:31:52Z", "2019-05-10T00:31:52Z"),
        ("2019-05-10T00:31:52+0000", "2019-05-10T00:31:52Z"),
        ("2019-05-10T00:31:52+00:00", "2019-05-10T00:31:52Z"),
        ("2019-05-10T00:31:52-0230", "2019-05-10T00:31:52-02:30"),
        ("2019-03-25T12:38:23.123456+01:00", "2019-03-25T12:38:23.123456+01:00"),
        ("2019-03-25T12:38:23.100+01:00", "2019-03-25T12:38:23.1+01:00"),
        ("2019-03-25T12:38:23.000+01:00", "2019-03-25T12:38:23+01:00"),
        ("2019-03-25T12:38+01:00", "2019-03-25T12:38:00+01:00"),
        ("2019-07-01T12:00:00", "2019-07-01T12:00:00+02:00"),
        ("2019-01-01T12:00:00", "2019-01-01T12:00:00+01:00"),
        ("2019-05-10T00:31:52+01:00[Europe/Oslo]", "2019-05-10T00:31:52+01:00"),
    ])
    func parsesAndWritesAsJackson(input: String, output: String) throws {
        #expect(OffsetDateTime(parsing: input)?.description == output)
    }

    @Test(arguments: ["", "2019-05-10", "2019-13-10T00:00:00Z", "2019-02-30T00:00:00Z", "2019-05-10T25:00:00Z",
                      "2019-05-10T00:31:52+1", "yesterday", "2019-05-10T00:31:52.Z"])
    func rejects(input: String) {
        #expect(OffsetDateTime(parsing: input) == nil)
    }

    @Test func instants() throws {
        let t = try #require(OffsetDateTime(parsing: "2019-05-10T00:31:52+01:00"))
        let z = try #require(OffsetDateTime(parsing: "2019-05-09T23:31:52Z"))
        #expect(t.isSameInstant(as: z) && t != z)
        #expect(t.date.timeIntervalSince1970 == 1_557_444_712)
        #expect(OffsetDateTime(t.date, offsetSeconds: 3600) == t)
        #expect(OffsetDateTime(oslo: Date(timeIntervalSince1970: 1_557_444_712)).description == "2019-05-10T01:31:52+02:00")
        #expect(t.adding(seconds: 86_400).description == "2019-05-11T00:31:52+01:00")
        #expect(t.utc.description == "2019-05-09T23:31:52Z")
    }

    /// The Oslo offset is remembered per UTC hour: the hours either side of both changes of 2026 (01:00 UTC on
    /// 29 March and 25 October) must still get their own offsets, also when asked in an order that reuses the memo.
    @Test func osloOffsetAtTheChanges() {
        let spring = 1_774_746_000.0  // 2026-03-29T01:00:00Z
        let autumn = 1_792_890_000.0  // 2026-10-25T01:00:00Z
        for (instant, expected) in [(spring - 1, "2026-03-29T01:59:59+01:00"), (spring, "2026-03-29T03:00:00+02:00"),
                                    (spring - 0.5, "2026-03-29T01:59:59.5+01:00"), (autumn - 1, "2026-10-25T02:59:59+02:00"),
                                    (autumn, "2026-10-25T02:00:00+01:00"), (autumn + 3599, "2026-10-25T02:59:59+01:00")] {
            #expect(OsloTime.format(Date(timeIntervalSince1970: instant)) == expected)
            #expect(OffsetDateTime(oslo: Date(timeIntervalSince1970: instant)).description == expected)
        }
    }

    /// Written without Foundation's formatter: the same text as `String(format:)` and the time zone's own rules give,
    /// for instants spread over four centuries, and for offsets with seconds and a negative year.
    @Test func writesAsFoundationWould() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0)!
        var seconds = -2_208_988_800.0  // 1900
        while seconds < 7_258_118_400 {  // 2200
            let date = Date(timeIntervalSince1970: seconds)
            let offset = OsloTime.timeZone.secondsFromGMT(for: date)
            let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second],
                                            from: date.addingTimeInterval(Double(offset)))
            let sign = offset < 0 ? "-" : "+"
            let expected = String(format: "%04d-%02d-%02dT%02d:%02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
                + (offset == 0 ? "Z" : String(format: "%@%02d:%02d", sign, abs(offset) / 3600, abs(offset) % 3600 / 60))
                + (abs(offset) % 60 == 0 ? "" : String(format: ":%02d", abs(offset) % 60))
            #expect(OsloTime.format(date) == expected)
            seconds += 7_654_321.0
        }
        #expect(OffsetDateTime(year: 2019, month: 5, day: 1, hour: 7, minute: 8, second: 9, nanosecond: 1_000,
                               offsetSeconds: -(3600 * 9 + 30 * 60 + 5)).description == "2019-05-01T07:08:09.000001-09:30:05")
        #expect(OffsetDateTime(year: -5, month: 1, day: 2, hour: 3, minute: 4, offsetSeconds: 0).description
                == "-005-01-02T03:04:00Z")
    }

    @Test func localDate() throws {
        #expect(LocalDate(parsing: "2019-04-01")?.description == "2019-04-01")
        #expect(LocalDate(parsing: "2019-4-1") == nil)
        #expect(LocalDate(parsing: "2019-02-29") == nil)
        #expect(LocalDate(parsing: "2020-02-29") != nil)
    }
}
