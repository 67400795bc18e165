import Foundation
import Testing
@testable import Packaging

@Suite("UTCTime and GeneralizedTime")
struct ASN1TimeTests {
    /// Foundation's formatter, as the signing time was written before, for comparison.
    static func formatted(_ date: Date, pattern: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = pattern
        return formatter.string(from: date)
    }

    static let samples: [Date] = {
        var generator = SystemRandomNumberGenerator()
        // 1950-01-01 … 2200-01-01, plus the edges of the UTCTime range and leap days.
        var dates = (0..<2000).map { _ in
            Date(timeIntervalSince1970: TimeInterval(Int64.random(in: -631_152_000...7_258_118_400, using: &generator)))
        }
        dates += [-631_152_000, 0, 951_782_400, 2_524_607_999, 2_524_608_000, 4_107_542_400]
            .map { Date(timeIntervalSince1970: TimeInterval($0)) }
        return dates
    }()

    @Test("writes what DateFormatter writes: UTCTime before 2050, GeneralizedTime from then on")
    func encodesAsFoundation() {
        for date in Self.samples {
            let encoded = ASN1Time.encode(date)
            let year = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: date).year!
            let expected = Self.formatted(date, pattern: year < 2050 ? "yyMMddHHmmss'Z'" : "yyyyMMddHHmmss'Z'")
            #expect(String(decoding: encoded.text, as: UTF8.self) == expected, "\(date)")
            #expect(encoded.tag == (year < 2050 ? 0x17 : 0x18))
        }
    }

    @Test("reads back what it writes, to the second")
    func roundTrips() {
        for date in Self.samples {
            let encoded = ASN1Time.encode(date)
            let parsed = ASN1Time.parse(encoded.text, generalized: encoded.tag == 0x18)
            #expect(parsed == Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down)), "\(date)")
        }
    }

    @Test("two-digit years are 1950–2049 (RFC 5280)")
    func pivotYear() {
        #expect(ASN1Time.parse(Array("491231235959Z".utf8), generalized: false)
                == Date(timeIntervalSince1970: 2_524_607_999))
        #expect(ASN1Time.parse(Array("500101000000Z".utf8), generalized: false)
                == Date(timeIntervalSince1970: -631_152_000))
        #expect(ASN1Time.parse(Array("20240229120000Z".utf8), generalized: true)
                == Date(timeIntervalSince1970: 1_709_208_000))
    }

    @Test("anything else is no time", arguments: [
        "241301000000Z", "240230000000Z", "230229000000Z", "240101240000Z", "240101006000Z", "240101000060Z",
        "24010100000Z", "2401010000000", "24010100000aZ", "240101000000+0100", "",
    ])
    func refusesMalformed(_ text: String) {
        #expect(ASN1Time.parse(Array(text.utf8), generalized: false) == nil)
        #expect(ASN1Time.parse(Array(("20" + text).utf8), generalized: true) == nil)
    }
}
