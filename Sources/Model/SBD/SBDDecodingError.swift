/// Why an SBD JSON body was rejected, with the upstream's message text (`nextmove-api.md` §3.1).
///
/// All of these are answered with 400 (DECISIONS 3), although the upstream answers some with 500.
public enum SBDDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Not JSON, or a value of the wrong JSON type inside the header or business message.
    /// `detail` follows `JSON parse error: `.
    case malformedJSON(String)
    /// The header (first member) has no `documentIdentification.type`.
    case missingType
    /// The business message came first and the header that follows has no type.
    case missingTypeInHeader
    /// The type (or the business-message key when it comes first) names no business message.
    case unknownType(String)
    /// A top-level member has another name than expected.
    case unexpectedField(expected: String, found: String)
    /// The JSON structure differs from `{ header, message }` (Jackson token names, e.g. `START_OBJECT`, `VALUE_NULL`).
    case unexpectedToken(expected: String, found: String)

    /// The `message` of the error body.
    public var message: String {
        switch self {
        case .malformedJSON(let detail): "JSON parse error: \(detail)"
        case .missingType: "I/O error while reading input message"
        case .missingTypeInHeader: "Missing type in standardBusinessDocumentHeader."
        case .unknownType(let name):
            "Unknown BusinessMessageType = \(name). Expecting one of "
                + MessageType.businessMessageTypes.map(\.rawValue).joined(separator: ",")
        case .unexpectedField(let expected, let found): "Expected to find field named \(expected), but found \(found)"
        case .unexpectedToken(let expected, let found): "Expected token \(expected), but found \(found)"
        }
    }

    /// The Java exception the upstream reports for this failure.
    public var exception: String {
        switch self {
        case .malformedJSON, .missingType: "org.springframework.http.converter.HttpMessageNotReadableException"
        default: "java.lang.IllegalArgumentException"
        }
    }

    public var description: String { message }
}
