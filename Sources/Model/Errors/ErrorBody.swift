import Foundation

/// The JSON body of every API error (`IntegrasjonspunktErrorAttributes`, `nextmove-api.md` §1.3).
public struct ErrorBody: Sendable, Encodable {
    public var timestamp: Date
    public var status: Int
    public var error: String
    public var exception: String?
    public var message: String
    public var path: String
    public var description: String?
    public var errors: [FieldViolation]?

    public init(timestamp: Date, status: Int, error: String, exception: String?, message: String, path: String,
                description: String? = nil, errors: [FieldViolation]? = nil) {
        self.timestamp = timestamp
        self.status = status
        self.error = error
        self.exception = exception
        self.message = message
        self.path = path
        self.description = description
        self.errors = errors
    }

    /// The body for `error` raised while serving `path` at `now`.
    public init(_ error: NextMoveError, path: String, now: Date) {
        self.init(timestamp: now, status: error.httpStatus, error: error.reasonPhrase, exception: error.exception,
                  message: error.message, path: path, description: error.description, errors: error.violations)
    }

    enum CodingKeys: String, CodingKey {
        case timestamp, status, error, exception, message, path, description, errors
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(OsloTime.format(timestamp), forKey: .timestamp)
        try c.encode(status, forKey: .status)
        try c.encode(error, forKey: .error)
        try c.encodeIfPresent(exception, forKey: .exception)
        try c.encode(message, forKey: .message)
        try c.encode(path, forKey: .path)
        try c.encodeIfPresent(description, forKey: .description)
        try c.encodeIfPresent(errors, forKey: .errors)
    }

    /// Pretty-printed JSON in the upstream's layout.
    public func encodedJSON() -> Data {
        (try? JacksonJSON.encode(self)) ?? Data()
    }
}

/// HTTP reason phrases as Spring's `HttpStatus` names them.
public enum HTTPReason {
    public static func phrase(for status: Int) -> String {
        switch status {
        case 200: "OK"
        case 204: "No Content"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 406: "Not Acceptable"
        case 409: "Conflict"
        case 413: "Payload Too Large"
        case 415: "Unsupported Media Type"
        case 500: "Internal Server Error"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        default: "Http Status \(status)"
        }
    }
}
