import Crypto
import _CryptoExtras
import Foundation

/// Verifies compact JWS (RS256/384/512, PS256/384/512) against a JWK set and returns the payload,
/// as the service registry's signed responses and DPI/DPH business messages need.
public struct JWSVerifier: Sendable {
    public var keySet: JWKSet

    public init(keySet: JWKSet) { self.keySet = keySet }

    /// The verified payload bytes; throws `JWSError` if the token is malformed, signed with an
    /// unsupported algorithm, by an unknown `kid`, or the signature does not verify.
    public func verify(_ compact: String) throws -> Data {
        let parts = compact.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let headerData = Base64URL.decode(parts[0]), let payload = Base64URL.decode(parts[1]),
              let signature = Base64URL.decode(parts[2]) else {
            throw JWSError.malformed("a compact JWS has three base64url parts separated by dots")
        }
        guard let header = try? JSONSerialization.jsonObject(with: headerData) as? [String: Any] else {
            throw JWSError.malformed("the JWS header is not a JSON object")
        }
        let algorithm = header["alg"] as? String ?? "none"
        try Self.requireSupported(algorithm)
        let keyID = header["kid"] as? String
        let candidates = keyID.map { id in keySet.keys.filter { $0.keyID == id } } ?? keySet.keys
        guard !candidates.isEmpty else {
            throw JWSError.unknownKeyID(keyID ?? "", available: keySet.keys.compactMap(\.keyID))
        }
        let signingInput = Data((parts[0] + "." + parts[1]).utf8)
        // Without a kid every RSA key is tried (the upstream takes the first RSA key of the set).
        guard candidates.contains(where: {
            Self.isValidSignature(signature, algorithm: algorithm, signingInput: signingInput, key: $0.publicKey)
        }) else {
            throw JWSError.badSignature(keyID: keyID)
        }
        return payload
    }

    /// Throws unless `algorithm` is RS256/384/512 or PS256/384/512.
    static func requireSupported(_ algorithm: String) throws {
        guard algorithm.count == 5, ["RS", "PS"].contains(algorithm.prefix(2)), ["256", "384", "512"].contains(algorithm.suffix(3)) else {
            throw JWSError.unsupportedAlgorithm(algorithm)
        }
    }

    /// Whether `signature` over `signingInput` verifies with `key` under a supported `algorithm`.
    static func isValidSignature(_ signature: Data, algorithm: String, signingInput: Data, key: _RSA.Signing.PublicKey) -> Bool {
        let padding: _RSA.Signing.Padding = algorithm.hasPrefix("PS") ? .PSS : .insecurePKCS1v1_5
        let rsaSignature = _RSA.Signing.RSASignature(rawRepresentation: signature)
        switch algorithm.suffix(3) {
        case "384": return key.isValidSignature(rsaSignature, for: SHA384.hash(data: signingInput), padding: padding)
        case "512": return key.isValidSignature(rsaSignature, for: SHA512.hash(data: signingInput), padding: padding)
        default: return key.isValidSignature(rsaSignature, for: SHA256.hash(data: signingInput), padding: padding)
        }
    }
}

/// Why a JWS was not accepted.
public enum JWSError: Error, Sendable, Equatable, CustomStringConvertible {
    case malformed(String)
    case unsupportedAlgorithm(String)
    case unknownKeyID(String, available: [String])
    case badSignature(keyID: String?)

    public var description: String {
        switch self {
        case .malformed(let detail):
            return "The JWS is malformed: \(detail)."
        case .unsupportedAlgorithm(let algorithm):
            return "The JWS is signed with '\(algorithm)'; only RS256/384/512 and PS256/384/512 are accepted."
        case .unknownKeyID(let keyID, let available):
            return "The JWS is signed with key id '\(keyID)', which is not in the JWK set (known: \(available.isEmpty ? "none" : available.joined(separator: ", "))). Refresh the JWK set or check the issuer."
        case .badSignature(let keyID):
            return "The JWS signature does not verify\(keyID.map { " with key '\($0)'" } ?? ""). The token was altered or signed by someone else; reject it."
        }
    }
}
