import Crypto
import _CryptoExtras
import Foundation

/// The JWT grant sent to Maskinporten's token endpoint (internals.md §5.2): RS256, the certificate
/// chain in `x5c` (or a `kid` for JWK clients), claims aud/iss/scope/iat/exp/jti, 120 s lifetime.
public struct MaskinportenGrant: Sendable {
    /// `difi.move.oidc.audience`, e.g. `https://test.maskinporten.no/`.
    public var audience: String
    /// The client id, `MOVE_IP_<orgnr>` by default.
    public var issuer: String
    public var scopes: [String]
    /// Optional `consumer_org` (DPI, DPH, SvarUt REST).
    public var consumerOrganization: String?
    /// Optional `authorization_details` (Altinn system user), as JSON (an array or object), embedded as is.
    public var authorizationDetailsJSON: Data?
    public var lifetime: TimeInterval

    public static let grantType = "urn:ietf:params:oauth:grant-type:jwt-bearer"

    public init(audience: String, issuer: String, scopes: [String], consumerOrganization: String? = nil,
                authorizationDetailsJSON: Data? = nil, lifetime: TimeInterval = 120) {
        self.audience = audience
        self.issuer = issuer
        self.scopes = scopes
        self.consumerOrganization = consumerOrganization
        self.authorizationDetailsJSON = authorizationDetailsJSON
        self.lifetime = lifetime
    }

    /// The signed JWT with the keystore's certificate chain in `x5c` (CERTIFICATE mode).
    public func signedJWT(identity: PrivateKeyAndCertificate, now: Date, jwtID: UUID = UUID()) throws -> String {
        let header: [String: Any] = ["alg": "RS256", "x5c": identity.certificateChainDER.map { $0.base64EncodedString() }]
        return try sign(header: header, key: identity.signingKey, now: now, jwtID: jwtID)
    }

    /// The signed JWT with a `kid` header (JWK mode, for clients without a virksomhetssertifikat).
    public func signedJWT(signingKey: _RSA.Signing.PrivateKey, keyID: String, now: Date, jwtID: UUID = UUID()) throws -> String {
        try sign(header: ["alg": "RS256", "kid": keyID], key: signingKey, now: now, jwtID: jwtID)
    }

    /// The `application/x-www-form-urlencoded` body of the token request.
    public static func tokenRequestBody(assertion: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return "grant_type=\(grantType.addingPercentEncoding(withAllowedCharacters: allowed)!)&assertion=\(assertion)"
    }

    func claims(now: Date, jwtID: UUID) throws -> [String: Any] {
        let issuedAt = Int(now.timeIntervalSince1970)
        var claims: [String: Any] = [
            "aud": audience, "iss": issuer, "scope": scopes.joined(separator: " "),
            "iat": issuedAt, "exp": issuedAt + Int(lifetime), "jti": jwtID.uuidString.lowercased(),
        ]
        if let consumerOrganization { claims["consumer_org"] = consumerOrganization }
        if let authorizationDetailsJSON {
            claims["authorization_details"] = try JSONSerialization.jsonObject(with: authorizationDetailsJSON, options: [.fragmentsAllowed])
        }
        return claims
    }

    private func sign(header: [String: Any], key: _RSA.Signing.PrivateKey, now: Date, jwtID: UUID) throws -> String {
        let options: JSONSerialization.WritingOptions = [.sortedKeys, .withoutEscapingSlashes]
        let headerPart = Base64URL.encode(try JSONSerialization.data(withJSONObject: header, options: options))
        let claimsPart = Base64URL.encode(try JSONSerialization.data(withJSONObject: try claims(now: now, jwtID: jwtID), options: options))
        let signingInput = headerPart + "." + claimsPart
        let signature = try key.signature(for: SHA256.hash(data: Data(signingInput.utf8)), padding: .insecurePKCS1v1_5)
        return signingInput + "." + Base64URL.encode(signature.rawRepresentation)
    }
}
