import Testing
@testable import IPConfiguration

@Suite struct ValueSyntaxTests {
    @Test(arguments: [
        ("500ms", Duration.milliseconds(500)), ("20s", .seconds(20)), ("5m", .seconds(300)), ("1h", .seconds(3600)),
        ("2d", .seconds(172_800)), ("PT20S", .seconds(20)), ("pt1m30s", .seconds(90)), ("P1DT2H", .seconds(93_600)),
        ("PT0.5S", .milliseconds(500)), ("30000", .seconds(30)), (" 15s ", .seconds(15)),
    ])
    func durations(text: String, expected: Duration) {
        #expect(ValueSyntax.duration(text) == expected)
    }

    @Test func plainDurationUsesTheKeysUnit() {
        #expect(ValueSyntax.duration("3", plainUnit: .seconds(1)) == .seconds(3))
    }

    @Test(arguments: ["", "fast", "20 sec", "P", "PTS", "1.5h", "s"])
    func badDurations(text: String) {
        #expect(ValueSyntax.duration(text) == nil)
    }

    @Test(arguments: [
        ("5MB", Int64(5 << 20)), ("1GB", Int64(1 << 30)), ("500KB", Int64(500 << 10)), ("10B", Int64(10)),
        ("1024", Int64(1024)), ("250mb", Int64(250 << 20)), ("2 MB", Int64(2 << 20)),
    ])
    func dataSizes(text: String, expected: Int64) {
        #expect(ValueSyntax.dataSize(text) == expected)
    }

    @Test(arguments: ["", "big", "1.5GB", "5XB", "99999999999999TB"])
    func badDataSizes(text: String) {
        #expect(ValueSyntax.dataSize(text) == nil)
    }

    @Test func booleansAndLists() {
        #expect(ValueSyntax.bool("TRUE") == true)
        #expect(ValueSyntax.bool("False") == false)
        #expect(ValueSyntax.bool("ja") == nil)
        #expect(ValueSyntax.list(" DPO , DPE,,") == ["DPO", "DPE"])
    }

    @Test func formatsDurationsBack() {
        #expect(ValueSyntax.format(.seconds(20)) == "20s")
        #expect(ValueSyntax.format(.seconds(3600)) == "1h")
        #expect(ValueSyntax.format(.milliseconds(1500)) == "1500ms")
    }
}
