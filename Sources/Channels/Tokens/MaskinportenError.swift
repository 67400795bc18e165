import Foundation

/// A token request that failed: at Maskinporten or at the Altinn token exchange.
public struct TokenError: Error, Sendable, CustomStringConvertible {
    /// `Maskinporten` or `Altinn token exchange`.
    public var service: String
    /// The HTTP status, when the service answered.
    public var status: Int?
    /// What the service said (`error_description`, problem detail, or the body).
    public var detail: String
    /// Worth retrying: the service could not be reached, timed out, or answered 5xx.
    public var isTransient: Bool

    public var description: String {
        if let status {
            return "\(service) refused the token request (HTTP \(status)): \(detail)"
        }
        return "\(service) could not be reached: \(detail)"
    }
}
