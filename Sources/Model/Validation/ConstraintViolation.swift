import Foundation

/// One failed bean-validation constraint, independent of how Spring reports it. Render it with
/// `fieldError(objectName:)` (`MethodArgumentNotValidException`, JSON body) or `constraintViolation`
/// (`ConstraintViolationException`, multipart `sbd` part and subscriptions).
public struct ConstraintViolation: Sendable, Hashable {
    /// The constraint annotation's name: `NotNull`, `Null`, `Size`, `Future`, `UUID`, `OneOf`, `MessageType`,
    /// `SenderValue`, `URL`, `WebhookFilter`.
    public var code: String
    public var message: String
    /// The property path, e.g. `standardBusinessDocumentHeader.sender[0].identifier.value`.
    public var path: String
    public var rejectedValue: JSONValue?
    /// The Java type of the property (for Spring's message codes), e.g. `java.lang.String`.
    public var fieldType: String

    public init(code: String, message: String, path: String, rejectedValue: JSONValue?, fieldType: String) {
        self.code = code
        self.message = message
        self.path = path
        self.rejectedValue = rejectedValue
        self.fieldType = fieldType
    }

    /// As `ConstraintViolationException` is rendered: `codes = [code]`, `objectName = field = path`.
    public var constraintViolation: FieldViolation {
        FieldViolation.constraint(code, message: message, path: path, rejectedValue: rejectedValue)
    }

    /// As a Spring `FieldError` of `MethodArgumentNotValidException`, with the codes of
    /// `DefaultMessageCodesResolver` (`NotNull.standardBusinessDocument.<path>`, …, `NotNull`).
    public func fieldError(objectName: String) -> FieldViolation {
        FieldViolation(codes: messageCodes(objectName: objectName), defaultMessage: message, objectName: objectName,
                       field: path, rejectedValue: rejectedValue, bindingFailure: false, code: code)
    }

    func messageCodes(objectName: String) -> [String] {
        var fields: [String] = []
        func buildFieldList(_ field: String) {
            fields.append(field)
            var plain = field
            while let open = plain.lastIndex(of: "["), let close = plain[open...].firstIndex(of: "]") {
                plain = String(plain[..<open]) + String(plain[plain.index(after: close)...])
                fields.append(plain)
            }
        }
        var codes: [String] = []
        func add(_ c: String) { if !codes.contains(c) { codes.append(c) } }
        buildFieldList(path)
        for f in fields { add("\(code).\(objectName).\(f)") }
        if let dot = path.lastIndex(of: ".") { buildFieldList(String(path[path.index(after: dot)...])) }
        for f in fields { add("\(code).\(f)") }
        add("\(code).\(fieldType)")
        add(code)
        return codes
    }
}

/// Standard constraint messages (Hibernate Validator, English) and the integration point's own.
public enum ValidationMessage {
    public static let notNull = "must not be null"
    public static let null = "must be null"
    public static let future = "must be a future date"
    public static let url = "must be a valid URL"
    public static let messageType = "Must be a NextMove message type"
    public static let webhookFilter = "Must be a valid filter definition."
    /// The `@SenderValue` message key is not defined upstream, so the key itself is the message.
    public static let senderValue = "{no.difi.meldingsutveksling.validation.IntegrasjonspunktOrganization}"

    public static func size(min: Int, max: Int) -> String { "size must be between \(min) and \(max)" }
    public static func notUUID(_ value: String) -> String { "'\(value)' is not a UUID." }
    public static func oneOf(_ value: String, allowed: [String]) -> String {
        "'\(value)' is not expected. Allowed values are: [\(allowed.joined(separator: ", "))]"
    }

    /// `8-4-4-4-12` hexadecimal digits.
    public static func isUUID(_ value: String) -> Bool {
        let groups = value.split(separator: "-", omittingEmptySubsequences: false)
        guard groups.count == 5, zip(groups, [8, 4, 4, 4, 12]).allSatisfy({ $0.count == $1 }) else { return false }
        return groups.allSatisfy { $0.allSatisfy(\.isHexDigit) }
    }
}

extension NextMoveError {
    /// 400 for a JSON request body that failed bean validation (`MethodArgumentNotValidException`):
    /// `objectName` `standardBusinessDocument` (create) or `subscription`.
    public static func invalidBody(_ violations: [ConstraintViolation], objectName: String) -> NextMoveError {
        methodArgumentNotValid(objectName: objectName, violations: violations.map { $0.fieldError(objectName: objectName) })
    }

    /// 400 for a method-validated argument (multipart `sbd`, create-time group validation, subscriptions):
    /// `ConstraintViolationException` with `path: message` texts.
    public static func invalidArgument(_ violations: [ConstraintViolation]) -> NextMoveError {
        constraintViolation(violations.map(\.constraintViolation))
    }
}
