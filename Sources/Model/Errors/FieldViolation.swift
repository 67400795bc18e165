/// One entry of an error body's `errors[]`: a Spring `FieldError`-like object (`nextmove-api.md` §1.3).
public struct FieldViolation: Sendable, Hashable, Encodable {
    public var codes: [String]
    public var defaultMessage: String
    public var objectName: String
    public var field: String
    /// The rejected value as a JSON value (omitted when null).
    public var rejectedValue: JSONValue?
    public var bindingFailure: Bool
    public var code: String

    public init(codes: [String], defaultMessage: String, objectName: String, field: String,
                rejectedValue: JSONValue?, bindingFailure: Bool = false, code: String) {
        self.codes = codes
        self.defaultMessage = defaultMessage
        self.objectName = objectName
        self.field = field
        self.rejectedValue = rejectedValue
        self.bindingFailure = bindingFailure
        self.code = code
    }

    /// A constraint violation as `ConstraintViolationException` reports it: `codes = [code]`,
    /// `objectName = field = <property path>`.
    public static func constraint(_ code: String, message: String, path: String, rejectedValue: JSONValue?)
        -> FieldViolation {
        FieldViolation(codes: [code], defaultMessage: message, objectName: path, field: path,
                       rejectedValue: rejectedValue, code: code)
    }

    /// `<path>: <message>`, as the exception's message lists each violation.
    public var pathAndMessage: String { "\(field): \(defaultMessage)" }

    enum CodingKeys: String, CodingKey {
        case codes, defaultMessage, objectName, field, rejectedValue, bindingFailure, code
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(codes, forKey: .codes)
        try c.encode(defaultMessage, forKey: .defaultMessage)
        try c.encode(objectName, forKey: .objectName)
        try c.encode(field, forKey: .field)
        if let rejectedValue, rejectedValue != .null { try c.encode(rejectedValue, forKey: .rejectedValue) }
        try c.encode(bindingFailure, forKey: .bindingFailure)
        try c.encode(code, forKey: .code)
    }
}

extension JSONValue {
    /// Convenience for rejected values.
    public static func of(_ string: String?) -> JSONValue? { string.map(JSONValue.string) }
}
