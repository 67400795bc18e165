import Foundation

/// A subscription's event filter (`nextmove-api.md` §6.1): `part ('&' part)*`, `part := name '=' values`,
/// names `status`, `serviceIdentifier`, `direction`, values a comma-separated list. All parts must match (AND),
/// any value of a part (OR), values compared ignoring case. Values are not checked against the enums
/// (the upstream accepts `status=INNKOMMENDE_MOTTAT`).
public struct WebhookFilter: Sendable, Hashable {
    public enum Field: String, Sendable, CaseIterable {
        case status
        case serviceIdentifier
        case direction
    }

    public struct Part: Sendable, Hashable {
        public var field: Field
        public var values: [String]
    }

    public var parts: [Part]

    /// The filter that matches everything (no filter given).
    public static let all = WebhookFilter(parts: [])

    public init(parts: [Part]) {
        self.parts = parts
    }

    /// Parses a filter; nil or empty text is the match-all filter. Throws when a part is malformed, names an
    /// unknown field or uses another operator than `=`.
    public init(parsing text: String?) throws(WebhookFilterError) {
        guard let text, !text.isEmpty else { self.init(parts: []); return }
        var parts: [Part] = []
        for raw in text.split(separator: "&", omittingEmptySubsequences: false) {
            // ^(\w+)(=)(.+)$
            guard let eq = raw.firstIndex(of: "=") else { throw WebhookFilterError(filter: text) }
            let name = raw[..<eq]
            let value = raw[raw.index(after: eq)...]
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }), !value.isEmpty,
                  !value.contains(where: \.isNewline), let field = Field(rawValue: String(name))
            else { throw WebhookFilterError(filter: text) }
            parts.append(Part(field: field, values: value.split(separator: ",", omittingEmptySubsequences: false).map(String.init)))
        }
        self.init(parts: parts)
    }

    /// Whether `text` is a valid filter (`@WebhookFilter`).
    public static func isValid(_ text: String?) -> Bool {
        (try? WebhookFilter(parsing: text)) != nil
    }

    /// Whether a status event with these properties passes the filter.
    public func matches(status: ReceiptStatus, serviceIdentifier: ServiceIdentifier,
                        direction: ConversationDirection) -> Bool {
        parts.allSatisfy { part in
            let actual = switch part.field {
            case .status: status.rawValue
            case .serviceIdentifier: serviceIdentifier.rawValue
            case .direction: direction.rawValue
            }
            return part.values.contains { $0.trimmingCharacters(in: .whitespaces).caseInsensitiveCompare(actual) == .orderedSame }
        }
    }
}

/// An invalid filter definition.
public struct WebhookFilterError: Error, Sendable, Equatable, CustomStringConvertible {
    public let filter: String
    public var message: String { ValidationMessage.webhookFilter }
    public var description: String { message }
}
