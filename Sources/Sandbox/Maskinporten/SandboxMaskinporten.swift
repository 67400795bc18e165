import _CryptoExtras
import Foundation
import Hummingbird
import Logging
import Packaging
import Synchronization
import X509

/// Maskinporten and the Altinn token exchange of the sandbox.
///
/// `POST /token` takes a JWT-bearer grant, verifies its RS256 signature against the certificate in its `x5c`,
/// requires that certificate to be issued by the sandbox CA, and checks `aud`, `exp` and `iss`. It answers
/// `{access_token, token_type, expires_in, scope}` with an access token signed by the sandbox.
/// `GET /authentication/api/v1/exchange/maskinporten` exchanges such a token for an Altinn token (plain text).
public final class SandboxMaskinporten: Sendable {
    public struct Configuration: Sendable {
        /// The `aud` a grant must carry (what `difi.move.oidc.audience` is set to).
        public var audience: String
        /// The `iss` of the access tokens.
        public var issuer: String
        public var accessTokenLifetime: TimeInterval
        public var altinnTokenLifetime: TimeInterval

        public init(audience: String, issuer: String = "sandbox-maskinporten", accessTokenLifetime: TimeInterval = 120,
                    altinnTokenLifetime: TimeInterval = 1800) {
            self.audience = audience
            self.issuer = issuer
            self.accessTokenLifetime = accessTokenLifetime
            self.altinnTokenLifetime = altinnTokenLifetime
        }
    }

    /// A grant the token endpoint received, accepted or not, for tests to inspect.
    public struct RecordedGrant: Sendable {
        public let assertion: String
        public let claimsJSON: Data
        public let certificateDER: Data?
        public let organisationNumber: String?
        public let rejection: String?
        public var accepted: Bool { rejection == nil }

        public var claims: [String: Any] { (try? JSONSerialization.jsonObject(with: claimsJSON) as? [String: Any]) ?? [:] }
    }

    public static let exchangePath = "/authentication/api/v1/exchange/maskinporten"

    private struct State {
        var configuration: Configuration
        var grants: [RecordedGrant] = []
        var exchanges = 0
    }

    public let authority: SandboxCertificateAuthority
    /// Signs the access tokens.
    public let tokenSigner: SandboxTokenSigner
    /// Signs the Altinn tokens; the sandbox broker trusts this key.
    public let altinnSigner: SandboxTokenSigner
    private let now: @Sendable () -> Date
    private let state: Mutex<State>

    public init(configuration: Configuration, authority: SandboxCertificateAuthority, altinnSigner: SandboxTokenSigner,
                tokenSigner: SandboxTokenSigner? = nil, now: @escaping @Sendable () -> Date = { Date() }) throws {
        self.authority = authority
        self.tokenSigner = try tokenSigner ?? SandboxTokenSigner(keyID: "sandbox-maskinporten")
        self.altinnSigner = altinnSigner
        self.now = now
        self.state = Mutex(State(configuration: configuration))
    }

    public var receivedGrants: [RecordedGrant] { state.withLock { $0.grants } }
    public var exchangeCount: Int { state.withLock { $0.exchanges } }
    public func update(_ change: @Sendable (inout Configuration) -> Void) { state.withLock { change(&$0.configuration) } }

    public func addRoutes(to router: Router<BasicRequestContext>) {
        router.post("/token") { request, _ in try await self.token(request) }
        router.get(RouterPath(Self.exchangePath)) { request, _ in try self.exchange(request) }
        router.get("/jwk") { _, _ in HTTPAnswer.json(["keys": [self.tokenSigner.jwk]]) }
    }

    private func oauthError(_ code: String, _ description: String, status: HTTPResponse.Status = .badRequest) -> Response {
        HTTPAnswer.json(["error": code, "error_description": description], status: status)
    }

    private func token(_ request: Request) async throws -> Response {
        let body = String(decoding: try await HTTPAnswer.collectBody(request), as: UTF8.self)
        var form: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map {
                String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0)
            }
            if parts.count == 2 { form[parts[0]] = parts[1] }
        }
        guard form["grant_type"] == "urn:ietf:params:oauth:grant-type:jwt-bearer" else {
            return oauthError("unsupported_grant_type", "grant_type must be urn:ietf:params:oauth:grant-type:jwt-bearer")
        }
        guard let assertion = form["assertion"] else { return oauthError("invalid_request", "assertion is missing") }
        let configuration = state.withLock { $0.configuration }
        let now = now()

        var claimsJSON = Data("{}".utf8)
        var certificateDER: Data?
        var organisationNumber: String?
        func reject(_ why: String) -> Response {
            let grant = RecordedGrant(assertion: assertion, claimsJSON: claimsJSON, certificateDER: certificateDER,
                                      organisationNumber: organisationNumber, rejection: why)
            state.withLock { $0.grants.append(grant) }
            return oauthError("invalid_grant", why)
        }

        guard let parsed = try? RS256CompactJWS.parse(assertion) else { return reject("the assertion is not a compact JWS") }
        claimsJSON = parsed.payload
        guard let der = parsed.certificateChainDER.first,
              let certificate = try? Certificate(derEncoded: Array(der)) else {
            return reject("the assertion has no x5c certificate")
        }
        certificateDER = der
        organisationNumber = Self.organisationNumber(of: certificate)
        guard authority.issued(certificate, at: now) else {
            return reject("the x5c certificate was not issued by the sandbox CA or is not valid now")
        }
        guard let publicKey = _RSA.Signing.PublicKey(certificate.publicKey) else {
            return reject("the x5c certificate has no RSA key")
        }
        do { try RS256CompactJWS.verify(parsed, with: publicKey) } catch {
            return reject("the assertion's signature does not verify against its x5c certificate (\(error))")
        }
        guard let claims = try? JSONSerialization.jsonObject(with: parsed.payload) as? [String: Any] else {
            return reject("the assertion's payload is not a JSON object")
        }
        let audiences = (claims["aud"] as? String).map { [$0] } ?? (claims["aud"] as? [String]) ?? []
        guard audiences.contains(configuration.audience) else {
            return reject("aud must be \(configuration.audience), was \(audiences)")
        }
        guard let exp = (claims["exp"] as? NSNumber)?.doubleValue, exp > now.timeIntervalSince1970 else {
            return reject("the assertion has expired or has no exp")
        }
        guard exp <= now.timeIntervalSince1970 + 300 else { return reject("exp is more than 300 seconds ahead") }
        guard let clientID = claims["iss"] as? String, !clientID.isEmpty else { return reject("iss (client id) is missing") }
        let scope = claims["scope"] as? String ?? ""

        let issued = Int(now.timeIntervalSince1970)
        var accessClaims: [String: Any] = [
            "iss": configuration.issuer, "client_id": clientID, "scope": scope, "iat": issued,
            "exp": issued + Int(configuration.accessTokenLifetime), "jti": UUID().uuidString, "token_type": "Bearer",
            "consumer": ["authority": "iso6523-actorid-upis", "ID": "0192:\(organisationNumber ?? "")"],
        ]
        if let details = claims["authorization_details"] { accessClaims["authorization_details"] = details }
        let accessToken = try tokenSigner.signJWT(claims: accessClaims)
        let grant = RecordedGrant(assertion: assertion, claimsJSON: claimsJSON, certificateDER: certificateDER,
                                  organisationNumber: organisationNumber, rejection: nil)
        state.withLock { $0.grants.append(grant) }
        return HTTPAnswer.json(["access_token": accessToken, "token_type": "Bearer",
                                "expires_in": Int(configuration.accessTokenLifetime), "scope": scope])
    }

    private func exchange(_ request: Request) throws -> Response {
        state.withLock { $0.exchanges += 1 }
        let now = now()
        guard let token = HTTPAnswer.bearerToken(request),
              let claims = tokenSigner.verifiedClaims(of: token, now: now) else {
            return HTTPAnswer.problem(.unauthorized, title: "Unauthorized",
                                      detail: "A valid Maskinporten token from the sandbox is required")
        }
        let consumer = (claims["consumer"] as? [String: Any])?["ID"] as? String ?? ""
        let organisationNumber = consumer.split(separator: ":").last.map(String.init) ?? ""
        let lifetime = state.withLock { $0.configuration.altinnTokenLifetime }
        let issued = Int(now.timeIntervalSince1970)
        var altinnClaims: [String: Any] = [
            "iss": "sandbox-altinn-platform", "urn:altinn:orgNumber": organisationNumber,
            "consumer": claims["consumer"] ?? [:], "scope": claims["scope"] ?? "", "iat": issued,
            "exp": issued + Int(lifetime), "jti": UUID().uuidString,
        ]
        if let details = claims["authorization_details"] { altinnClaims["authorization_details"] = details }
        return HTTPAnswer.text(try altinnSigner.signJWT(claims: altinnClaims))
    }

    /// The organisation number in the subject's `serialNumber` attribute.
    static func organisationNumber(of certificate: Certificate) -> String? {
        for rdn in certificate.subject {
            for attribute in rdn where attribute.type == .RDNAttributeType.serialNumber {
                let text = String(describing: attribute.value)
                let digits = text.filter(\.isNumber)
                if digits.count == 9 { return digits }
            }
        }
        return nil
    }
}
