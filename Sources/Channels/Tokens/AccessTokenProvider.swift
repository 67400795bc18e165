import Foundation

/// Something that hands out a bearer token for outgoing requests (Maskinporten, Altinn).
public protocol AccessTokenProvider: Sendable {
    func accessToken() async throws -> String
    /// Forgets a cached token the service refused (HTTP 401), so the next `accessToken()` gets a new one.
    func invalidate() async
}

extension AccessTokenProvider {
    public func invalidate() async {}
}

/// A fixed token: for tests, and for networks without token authentication.
public struct StaticAccessToken: AccessTokenProvider {
    public let token: String
    public init(_ token: String) { self.token = token }
    public func accessToken() async throws -> String { token }
}

/// Reads a JWT's claims without verifying it: enough to learn a token's own `exp`.
enum UnverifiedJWT {
    static func claims(_ token: String) -> [String: Any]? {
        let parts = token.split(separator: ".")
        guard parts.count >= 2 else { return nil }
        var base64 = parts[1].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64) else { return nil }
        return try? JSONSerialization.jsonObject(with: data) as? [String: Any]
    }

    static func expiry(_ token: String) -> Date? {
        guard let exp = (claims(token)?["exp"] as? NSNumber)?.doubleValue else { return nil }
        return Date(timeIntervalSince1970: exp)
    }
}
