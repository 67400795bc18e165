import _CryptoExtras
import Foundation

/// A JSON Web Key Set (RFC 7517) of RSA public keys, e.g. Maskinporten's or the service registry's.
public struct JWKSet: Sendable {
    public struct Key: Sendable {
        public var keyID: String?
        public var algorithm: String?
        public var publicKey: _RSA.Signing.PublicKey
    }

    public var keys: [Key]

    /// Reads `{"keys":[{"kty":"RSA","n":…,"e":…,"kid":…}]}`; keys of other types are skipped.
    public init(json: Data) throws {
        guard let object = try? JSONSerialization.jsonObject(with: json) as? [String: Any],
              let entries = object["keys"] as? [[String: Any]] else {
            throw JWSError.malformed("the JWK set is not a JSON object with a \"keys\" array")
        }
        keys = try entries.compactMap { entry in
            guard entry["kty"] as? String == "RSA" else { return nil }
            guard let n = (entry["n"] as? String).flatMap(Base64URL.decode),
                  let e = (entry["e"] as? String).flatMap(Base64URL.decode) else {
                throw JWSError.malformed("RSA key \(entry["kid"] as? String ?? "without kid") lacks a valid n or e")
            }
            let key = try _RSA.Signing.PublicKey(n: n, e: e)
            return Key(keyID: entry["kid"] as? String, algorithm: entry["alg"] as? String, publicKey: key)
        }
    }

    public init(keys: [Key]) { self.keys = keys }
}
