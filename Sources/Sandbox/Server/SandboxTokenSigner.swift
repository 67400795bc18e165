import Crypto
import _CryptoExtras
import Foundation
import Packaging

/// An RSA key that signs and checks the sandbox's own JWTs (Maskinporten access tokens, Altinn tokens,
/// signed registry answers), with its JWK for publishing.
public struct SandboxTokenSigner: Sendable {
    public let keyID: String
    private let key: _RSA.Signing.PrivateKey
    private let verified = VerifiedTokens()

    public init(keyID: String, keySize: _RSA.Signing.KeySize = .bits2048) throws {
        self.init(keyID: keyID, key: try _RSA.Signing.PrivateKey(keySize: keySize))
    }

    public init(keyID: String, key: _RSA.Signing.PrivateKey) {
        self.keyID = keyID
        self.key = key
    }

    public var publicKey: _RSA.Signing.PublicKey { key.publicKey }

    /// The public JWK (`kty, kid, use, alg, n, e`).
    public var jwk: [String: String] { RS256CompactJWS.jwk(for: key.publicKey, keyID: keyID) }

    /// Signs a JSON payload as a compact JWS with this key's `kid`.
    public func sign(payload: Data, type: String? = "JWT") throws -> String {
        var header: [String: any Sendable] = ["kid": keyID]
        if let type { header["typ"] = type }
        return try RS256CompactJWS.sign(payload: payload, extraHeader: header, key: key)
    }

    /// Signs claims (a JSON object) as a JWT.
    public func signJWT(claims: [String: Any]) throws -> String {
        try sign(payload: try JSONSerialization.data(withJSONObject: claims, options: [.sortedKeys, .withoutEscapingSlashes]))
    }

    /// Verifies a JWT this key signed and returns its claims; `nil` when the signature, `exp` or format is wrong.
    /// A token seen before is not parsed and verified again (every broker call carries the same token for half an
    /// hour), but its `exp` is checked every time.
    public func verifiedClaims(of token: String, now: Date) -> [String: Any]? {
        let claims: [String: Any]
        if let known = verified.claims(of: token) {
            claims = known
        } else {
            guard let parsed = try? RS256CompactJWS.parse(token),
                  (try? RS256CompactJWS.verify(parsed, with: key.publicKey)) != nil,
                  let fresh = try? JSONSerialization.jsonObject(with: parsed.payload) as? [String: Any] else { return nil }
            verified.remember(fresh, of: token)
            claims = fresh
        }
        if let exp = (claims["exp"] as? NSNumber)?.doubleValue, exp < now.timeIntervalSince1970 { return nil }
        return claims
    }
}

/// Tokens whose signature verified, with their claims; forgotten all at once when too many.
private final class VerifiedTokens: @unchecked Sendable {
    // The claims are immutable JSON values (strings, numbers, arrays, dictionaries) once parsed; the lock guards
    // the dictionary.
    private let lock = NSLock()
    private var tokens: [String: [String: Any]] = [:]
    private let capacity = 1024

    func claims(of token: String) -> [String: Any]? {
        lock.withLock { tokens[token] }
    }

    func remember(_ claims: [String: Any], of token: String) {
        lock.withLock {
            if tokens.count >= capacity { tokens.removeAll() }
            tokens[token] = claims
        }
    }
}
