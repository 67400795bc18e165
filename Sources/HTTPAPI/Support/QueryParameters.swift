import Foundation
import Hummingbird
import Model

/// Reads and checks query parameters; anything malformed is a 400 that names the parameter and the accepted form.
struct QueryParameters {
    let request: Request

    init(_ request: Request) {
        self.request = request
    }


    func strings(_ name: String) -> [String] {
        request.uri.queryParameters.getAll(name).flatMap { $0.split(separator: ",").map { String($0) } }
            .filter { !$0.isEmpty }
    }

    func string(_ name: String) -> String? {
        guard let value = request.uri.queryParameters.get(name), !value.isEmpty else { return nil }
        return String(value)
    }

    func int(_ name: String, range: ClosedRange<Int>? = nil) throws -> Int? {
        guard let text = string(name) else { return nil }
        guard let value = Int(text) else {
            throw InvalidRequest("Query parameter '\(name)' must be a whole number, but was '\(text)'.")
        }
        if let range, !range.contains(value) {
            throw InvalidRequest("Query parameter '\(name)' must be between \(range.lowerBound) and \(range.upperBound), but was \(value).")
        }
        return value
    }

    func int64(_ name: String) throws -> Int64? {
        guard let text = string(name) else { return nil }
        guard let value = Int64(text) else {
            throw InvalidRequest("Query parameter '\(name)' must be a whole number, but was '\(text)'.")
        }
        return value
    }

    func bool(_ name: String) throws -> Bool? {
        guard let text = string(name)?.lowercased() else { return nil }
        switch text {
        case "true": return true
        case "false": return false
        default: throw InvalidRequest("Query parameter '\(name)' must be true or false, but was '\(text)'.")
        }
    }

    func enums<E: RawRepresentable & CaseIterable>(_ name: String, as type: E.Type) throws -> [E]
        where E.RawValue == String {
        try strings(name).map { text in
            guard let value = E(rawValue: text) ?? E(rawValue: text.uppercased()) else {
                let allowed = E.allCases.map(\.rawValue).joined(separator: ", ")
                throw InvalidRequest("Query parameter '\(name)' has the unknown value '\(text)'. Allowed values are: \(allowed).")
            }
            return value
        }
    }

    /// An ISO-8601 date-time with offset (`2019-10-16T10:01:52.625-02:00`); without offset it is Oslo time.
    func dateTime(_ name: String) throws -> Date? {
        guard let text = string(name) else { return nil }
        guard let date = DateParsing.dateTime(text) else {
            throw InvalidRequest("Query parameter '\(name)' must be an ISO-8601 date-time such as 2019-10-16T10:01:52+02:00, but was '\(text)'. Write '+' as %2B in URLs.")
        }
        return date
    }

    /// A calendar day `yyyy-MM-dd` in Oslo; `endOfDay` gives its last instant instead of its first.
    func day(_ name: String, endOfDay: Bool) throws -> Date? {
        guard let text = string(name) else { return nil }
        guard let start = DateParsing.osloDay(text) else {
            throw InvalidRequest("Query parameter '\(name)' must be a date written yyyy-MM-dd, but was '\(text)'.")
        }
        guard endOfDay else { return start }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = OsloTime.timeZone
        let next = calendar.date(byAdding: .day, value: 1, to: start) ?? start.addingTimeInterval(86400)
        return next.addingTimeInterval(-0.000001)
    }

    /// `page`, `size` and `sort` as Spring Data reads them, refusing negative and oversized values.
    func pageRequest() throws -> PageRequest {
        let page = try int("page", range: 0...1_000_000) ?? 0
        let size = try int("size", range: 1...PageRequest.maximumSize) ?? PageRequest.defaultSize
        var orders: [Model.SortOrder] = []
        let terms: [String] = request.uri.queryParameters.getAll("sort").map { String($0) }
        for term in terms where !term.isEmpty {
            var parts: [String] = term.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
            var ascending = true
            if let last = parts.last?.lowercased(), last == "asc" || last == "desc" {
                ascending = last == "asc"
                parts.removeLast()
            }
            for property in parts where !property.isEmpty {
                guard property.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }) else {
                    throw InvalidRequest("Query parameter 'sort' must be property[,asc|desc], but was '\(term)'.")
                }
                orders.append(Model.SortOrder(property, ascending: ascending))
            }
        }
        return PageRequest(page: page, size: size, sort: orders)
    }
}

/// Date parsing for query parameters.
enum DateParsing {
    static func dateTime(_ text: String) -> Date? {
        let withFraction = ISO8601DateFormatter()
        withFraction.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let plain = ISO8601DateFormatter()
        plain.formatOptions = [.withInternetDateTime]
        if let date = withFraction.date(from: text) ?? plain.date(from: text) { return date }
        // No offset: local Oslo time, as the upstream's deserializer reads it.
        let local = DateFormatter()
        local.locale = Locale(identifier: "en_US_POSIX")
        local.timeZone = OsloTime.timeZone
        for format in ["yyyy-MM-dd'T'HH:mm:ss.SSSSSS", "yyyy-MM-dd'T'HH:mm:ss.SSS", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm"] {
            local.dateFormat = format
            if let date = local.date(from: text) { return date }
        }
        return nil
    }

    static func osloDay(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = OsloTime.timeZone
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.date(from: text)
    }
}
