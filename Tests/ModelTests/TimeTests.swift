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

    @Test func localDate() throws {
        #expect(LocalDate(parsing: "2019-04-01")?.description == "2019-04-01")
        #expect(LocalDate(parsing: "2019-4-1") == nil)
        #expect(LocalDate(parsing: "2019-02-29") == nil)
        #expect(LocalDate(parsing: "2020-02-29") != nil)
    }
}
