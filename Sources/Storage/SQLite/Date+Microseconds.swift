import Foundation

/// Instants as the database keeps them: integer microseconds since 1970-01-01T00:00:00Z.
///
/// Integers sort and compare exactly in SQL (on SQLite and PostgreSQL alike) and keep the microseconds the
/// upstream API shows. A `Date` made with `Date(microsecondsSince1970:)` survives a round trip bit for bit;
/// finer fractions are rounded to the nearest microsecond.
extension Date {
    /// Seconds between 1970 and 2001, the reference date `Date` counts from.
    private static let referenceOffsetMicroseconds: Int64 = 978_307_200 * 1_000_000

    public var microsecondsSince1970: Int64 {
        // Computed from the reference date, the value `Date` stores, to avoid one rounding step.
        Int64((timeIntervalSinceReferenceDate * 1_000_000).rounded()) + Date.referenceOffsetMicroseconds
    }

    public init(microsecondsSince1970 micros: Int64) {
        self.init(timeIntervalSinceReferenceDate:
            Double(micros - Date.referenceOffsetMicroseconds) / 1_000_000)
    }
}
