import Crypto
import _CryptoExtras
import Foundation

/// Compact JWS (RFC 7515) with RS256, and RSA JWKs (RFC 7517): what the service registry's signed answers,
/// the Maskinporten grant and the sandbox's tokens need. Small on purpose; no other algorithms.
public enum RS256CompactJWS {
    public struct Parsed: Sendable {
        /// The decoded protected header as a JSON object.
        public let header: [String: JSONHeaderValue]
        public let headerJSON: Data
        public let payload: Data
        /// `base64url(header) + "." + base64url(payload)`: the bytes the signature covers.
        public let signingInput: Data
        public let signature: Data

        public var algorithm: String? { header["alg"]?.string }
        public var keyID: String? { header["kid"]?.string }
        /// The `x5c` chain, DER, leaf first.
        public var certificateChainDER: [Data] {
            (header["x5c"]?.strings ?? []).compactMap { Data(base64Encoded: $0) }
        }
    }

    /// The header values this module reads: strings and string arrays; anything else kept as raw JSON.
    public enum JSONHeaderValue: Sendable, Equatable {
        case string(String)
        case strings([String])
        case other

        public var string: String? { if case .string(let s) = self { s } else { nil } }
        public var strings: [String]? { if case .strings(let s) = self { s } else { nil } }
    }

    public enum JWSError: Error, Sendable, Equatable, CustomStringConvertible {
        case malformed(String)
        case unsupportedAlgorithm(String)
        case badSignature

        public var description: String {
            switch self {
            case .malformed(let why): "The JWS is malformed: \(why)."
            case .unsupportedAlgorithm(let alg): "The JWS algorithm '\(alg)' is not supported (only RS256)."
            case .badSignature: "The JWS signature does not verify."
            }
        }
    }

    /// Signs `payload` and returns the compact serialisation. `header` is merged over `{"alg":"RS256"}`;
    /// its values must be JSON-encodable (strings, arrays of strings, numbers).
    public static func sign(payload: Data, extraHeader: [String: any Sendable] = [:],
                            key: _RSA.Signing.PrivateKey) throws -> String {
        var header: [String: Any] = ["alg": "RS256"]
        for (name, value) in extraHeader { header[name] = value }
        let headerJSON = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys, .withoutEscapingSlashes])
        let signingInput = base64URL(headerJSON) + "." + base64URL(payload)
        let signature = try key.signature(for: Data(signingInput.utf8), padding: .insecurePKCS1v1_5)
        return signingInput + "." + base64URL(signature.rawRepresentation)
    }

    /// Splits and decodes a compact JWS without verifying it.
    public static func parse(_ compact: String) throws -> Parsed {
        let trimmed = compact.first?.isWhitespace == true || compact.last?.isWhitespace == true
            ? compact.trimmingCharacters(in: .whitespacesAndNewlines) : compact
        let parts = trimmed.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw JWSError.malformed("expected three dot-separated parts, found \(parts.count)") }
        guard let headerJSON = base64URLDecode(String(parts[0])),
              let payload = base64URLDecode(String(parts[1])),
              let signature = base64URLDecode(String(parts[2])) else {
            throw JWSError.malformed("a part is not base64url")
        }
        guard let object = try? JSONSerialization.jsonObject(with: headerJSON) as? [String: Any] else {
            throw JWSError.malformed("the header is not a JSON object")
        }
        var header: [String: JSONHeaderValue] = [:]
        for (name, value) in object {
            if let s = value as? String { header[name] = .string(s) }
            else if let a = value as? [String] { header[name] = .strings(a) }
            else { header[name] = .other }
        }
        return Parsed(header: header, headerJSON: headerJSON, payload: payload,
                      signingInput: Data("\(parts[0]).\(parts[1])".utf8), signature: signature)
    }

    /// Verifies an RS256 signature; throws `badSignature` when it does not verify.
    public static func verify(_ parsed: Parsed, with key: _RSA.Signing.PublicKey) throws {
        guard parsed.algorithm == "RS256" else { throw JWSError.unsupportedAlgorithm(parsed.algorithm ?? "none") }
        let signature = _RSA.Signing.RSASignature(rawRepresentation: parsed.signature)
        guard key.isValidSignature(signature, for: parsed.signingInput, padding: .insecurePKCS1v1_5) else {
            throw JWSError.badSignature
        }
    }

    // MARK: JWK

    /// The public JWK of an RSA key: `{"kty":"RSA","kid":…,"use":"sig","alg":"RS256","n":…,"e":…}`.
    public static func jwk(for key: _RSA.Signing.PublicKey, keyID: String) -> [String: String] {
        let primitives = try! key.getKeyPrimitives() // swiftlint:disable:this force_try
        return ["kty": "RSA", "kid": keyID, "use": "sig", "alg": "RS256",
                "n": base64URL(primitives.modulus), "e": base64URL(primitives.publicExponent)]
    }

    /// Reads an RSA public key from a JWK's `n` and `e`.
    public static func publicKey(fromJWK jwk: [String: Any]) throws -> _RSA.Signing.PublicKey {
        guard jwk["kty"] as? String == "RSA",
              let n = (jwk["n"] as? String).flatMap(base64URLDecode),
              let e = (jwk["e"] as? String).flatMap(base64URLDecode) else {
            throw JWSError.malformed("the JWK is not an RSA key with n and e")
        }
        return try _RSA.Signing.PublicKey(n: n, e: e)
    }

    // MARK: base64url

    public static func base64URL(_ data: some DataProtocol) -> String {
        let encoded = Data(data).base64EncodedData()
        var out = [UInt8]()
        out.reserveCapacity(encoded.count)
        for byte in encoded {
            switch byte {
            case UInt8(ascii: "+"): out.append(UInt8(ascii: "-"))
            case UInt8(ascii: "/"): out.append(UInt8(ascii: "_"))
            case UInt8(ascii: "="): continue
            default: out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    public static func base64URLDecode(_ text: String) -> Data? {
        // Byte by byte: the String methods (replacingOccurrences) go through NSString and cost more than the RSA
        // verification of a token.
        var bytes = [UInt8]()
        bytes.reserveCapacity(text.utf8.count + 3)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "-"): bytes.append(UInt8(ascii: "+"))
            case UInt8(ascii: "_"): bytes.append(UInt8(ascii: "/"))
            default: bytes.append(byte)
            }
        }
        while bytes.count % 4 != 0 { bytes.append(UInt8(ascii: "=")) }
        return Data(base64Encoded: Data(bytes))
    }
}
