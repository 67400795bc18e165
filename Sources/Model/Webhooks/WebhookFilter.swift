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

    /// Parses a filter as the upstream's `WebhookFilterParser`: split on `&` (Java `String.split`: trailing empty
    /// parts dropped), each part `^(\w+)(=)(.+)$` with a known name. nil is the match-all filter; `""` is invalid.
    public init(parsing text: String?) throws(WebhookFilterError) {
        guard let text else { self.init(parts: []); return }
        var parts: [Part] = []
        for raw in WebhookFilter.javaSplit(text, "&") {
            guard let eq = raw.firstIndex(of: "=") else { throw WebhookFilterError(filter: text) }
            let name = raw[..<eq]
            let value = raw[raw.index(after: eq)...]
            let isWordCharacter: (Character) -> Bool = { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
            guard !name.isEmpty, name.allSatisfy(isWordCharacter), !value.isEmpty,
                  !value.contains(where: { $0.isNewline }), let field = Field(rawValue: String(name))
            else { throw WebhookFilterError(filter: text) }
            parts.append(Part(field: field, values: WebhookFilter.javaSplit(String(value), ",")))
        }
        self.init(parts: parts)
    }

    /// Java's `String.split(regex)` for a one-character literal: no match → the whole text; trailing empty
    /// strings removed.
    static func javaSplit(_ text: String, _ separator: Character) -> [String] {
        guard text.contains(separator) else { return [text] }
        var parts = text.split(separator: separator, omittingEmptySubsequences: false).map(String.init)
        while parts.last == "" { parts.removeLast() }
        return parts
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
            return part.values.contains { $0.caseInsensitiveCompare(actual) == .orderedSame }
        }
    }
}

/// An invalid filter definition.
public struct WebhookFilterError: Error, Sendable, Equatable, CustomStringConvertible {
    public let filter: String
    public var message: String { ValidationMessage.webhookFilter }
    public var description: String { message }
}
