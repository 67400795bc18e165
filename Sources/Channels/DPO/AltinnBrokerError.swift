import Foundation

/// A failed Altinn broker call: the operation, the HTTP status and the ProblemDetails text.
public struct AltinnBrokerError: Error, Sendable, CustomStringConvertible {
    public var operation: String
    /// The HTTP status, or `nil` when the broker could not be reached or timed out.
    public var status: Int?
    /// ProblemDetails `title: detail`, or the body, or the transport failure.
    public var detail: String
    /// 5xx, 408, 429 and transport failures are worth retrying; other 4xx are permanent.
    public var isTransient: Bool

    init(operation: String, status: Int?, detail: String) {
        self.operation = operation
        self.status = status
        self.detail = detail
        if let status {
            isTransient = status >= 500 || status == 408 || status == 429
        } else {
            isTransient = true
        }
    }

    public var description: String {
        if let status { return "Altinn broker \(operation) failed with HTTP \(status): \(detail)" }
        return "Altinn broker \(operation) failed: \(detail)"
    }

    /// Reads an RFC 7807 body (`title`, `detail`, and validation `errors` when present).
    static func problemText(_ body: Data) -> String {
        guard let json = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else {
            return String(decoding: body.prefix(2000), as: UTF8.self)
        }
        var parts = [json["title"] as? String, json["detail"] as? String].compactMap { $0 }
        if let errors = json["errors"] as? [String: Any] {
            parts += errors.map { "\($0.key): \($0.value)" }.sorted()
        }
        return parts.isEmpty ? String(decoding: body.prefix(2000), as: UTF8.self) : parts.joined(separator: ": ")
    }
}
