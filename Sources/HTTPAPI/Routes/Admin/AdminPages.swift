import Foundation

/// What the admin web pages show about this integration point, prepared by the executable's wiring.
public struct AdminPages: Sendable {
    /// Name → value pairs for the overview (organisation number, version, channels, certificate…).
    public var overview: [(String, String)]
    /// The effective configuration, `key=value` per line, secrets already masked.
    public var maskedConfiguration: String
    public var startedAt: Date
    /// A random value per process that every form posting a change must carry: the browser sends the Basic
    /// credentials to this host whatever page asked it to, so the token is what proves the form was ours.
    let formToken: String

    public init(overview: [(String, String)], maskedConfiguration: String, startedAt: Date) {
        self.overview = overview
        self.maskedConfiguration = maskedConfiguration
        self.startedAt = startedAt
        var generator = SystemRandomNumberGenerator()
        formToken = (0..<4).map { _ in String(generator.next() as UInt64, radix: 16) }.joined(separator: "-")
    }
}
