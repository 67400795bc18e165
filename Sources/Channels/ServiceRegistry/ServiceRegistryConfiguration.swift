import Foundation
import NIOCore

/// What the service registry client needs (`difi.move.serviceregistryEndpoint`, `difi.move.sign.*`).
public struct ServiceRegistryConfiguration: Sendable {
    /// `difi.move.serviceregistryEndpoint`.
    public var endpoint: String
    /// `difi.move.sign.enable`: ask for and require JWS-signed answers.
    public var requireSignedAnswers: Bool
    /// `difi.move.sign.jwkUrl`; `{endpoint}/jwk` by default.
    public var jwkURL: String
    /// How long lookups are cached (the upstream: 5 minutes).
    public var cacheLifetime: TimeInterval
    /// `difi.move.feature.enableBetaFeatures` adds `X-Enable-Beta-Features: true`.
    public var enableBetaFeatures: Bool
    public var timeout: TimeAmount

    public init(endpoint: String, requireSignedAnswers: Bool = true, jwkURL: String? = nil,
                cacheLifetime: TimeInterval = 300, enableBetaFeatures: Bool = false, timeout: TimeAmount = .seconds(30)) {
        self.endpoint = endpoint
        self.requireSignedAnswers = requireSignedAnswers
        self.jwkURL = jwkURL ?? HTTPExchange.join(endpoint, "jwk")
        self.cacheLifetime = cacheLifetime
        self.enableBetaFeatures = enableBetaFeatures
        self.timeout = timeout
    }
}
