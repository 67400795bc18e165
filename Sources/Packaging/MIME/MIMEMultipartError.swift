/// A multipart body that cannot be read, in words for the log or the answer.
public struct MIMEMultipartError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
