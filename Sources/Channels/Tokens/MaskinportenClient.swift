import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Packaging

/// A Maskinporten access token with its expiry.
public struct AccessToken: Sendable, Equatable {
    public var value: String
    public var expiresAt: Date
    public var scope: String
}

/// Gets Maskinporten access tokens with the JWT-bearer grant (`internals.md` §5.2).
///
/// The grant is signed RS256 with the keystore key and carries the certificate chain in `x5c`,
/// `iss` = client id, `aud` = audience, `scope`, `jti`, `iat`, `exp` (+120 s), and, for DPO, the Altinn system user
/// as `authorization_details`. Tokens are cached per scope set and system user until `refreshMargin` before expiry.
public actor MaskinportenClient {
    public let configuration: MaskinportenConfiguration
    private let httpClient: HTTPClient
    private let now: @Sendable () -> Date
    private var cache: [String: AccessToken] = [:]
    private var inFlight: [String: Task<AccessToken, any Error>] = [:]

    public init(configuration: MaskinportenConfiguration, httpClient: HTTPClient,
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.configuration = configuration
        self.httpClient = httpClient
        self.now = now
    }

    /// A token for `scopes`, from the cache while it has more than `refreshMargin` left.
    /// - Parameter consumerOrganization: `consumer_org`, for a token used on behalf of another organisation (DPI).
    public func accessToken(scopes: [String], systemUser: AltinnSystemUser? = nil,
                            consumerOrganization: String? = nil) async throws -> AccessToken {
        let key = scopes.sorted().joined(separator: " ") + "|" + (systemUser.map { "\($0.organisationID)|\($0.name)" } ?? "")
            + "|" + (consumerOrganization ?? "")
        if let cached = cache[key], cached.expiresAt.timeIntervalSince(now()) > configuration.refreshMargin {
            return cached
        }
        // Concurrent callers share one token request.
        if let running = inFlight[key] { return try await running.value }
        let request = Task {
            try await self.requestToken(scopes: scopes, systemUser: systemUser, consumerOrganization: consumerOrganization)
        }
        inFlight[key] = request
        defer { inFlight[key] = nil }
        // The request runs in a task of its own (callers share it); a caller that is cancelled (a poller at
        // shutdown) cancels it instead of waiting out the HTTP timeout.
        let token = try await withTaskCancellationHandler { try await request.value } onCancel: { request.cancel() }
        cache[key] = token
        return token
    }

    /// Forgets cached tokens (e.g. after a 401 from a service).
    public func clearCache() { cache.removeAll() }

    /// A provider of tokens for fixed scopes, for the service registry client.
    public nonisolated func provider(scopes: [String], systemUser: AltinnSystemUser? = nil) -> any AccessTokenProvider {
        MaskinportenTokenProvider(client: self, scopes: scopes, systemUser: systemUser)
    }

    /// The signed grant JWT (Packaging's `MaskinportenGrant`; exposed for tests and diagnostics).
    public func makeAssertion(scopes: [String], systemUser: AltinnSystemUser?, consumerOrganization: String? = nil) throws -> String {
        let details = try systemUser.map { try JSONSerialization.data(withJSONObject: $0.authorizationDetails, options: [.sortedKeys]) }
        let grant = MaskinportenGrant(audience: configuration.audience, issuer: configuration.clientID, scopes: scopes,
                                      consumerOrganization: consumerOrganization,
                                      authorizationDetailsJSON: details, lifetime: configuration.assertionLifetime)
        return try grant.signedJWT(identity: configuration.keystore, now: now())
    }

    private func requestToken(scopes: [String], systemUser: AltinnSystemUser?,
                              consumerOrganization: String?) async throws -> AccessToken {
        let assertion = try makeAssertion(scopes: scopes, systemUser: systemUser, consumerOrganization: consumerOrganization)
        var request = HTTPClientRequest(url: configuration.tokenURL)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "Accept", value: "application/json")
        request.body = .bytes(ByteBuffer(string: MaskinportenGrant.tokenRequestBody(assertion: assertion)))
        let answer: HTTPAnswer
        do {
            answer = try await HTTPExchange.send(request, on: httpClient, timeout: configuration.timeout)
        } catch let failure as HTTPExchange.TransportFailure {
            throw TokenError(service: "Maskinporten", status: nil, detail: failure.description, isTransient: true)
        }
        let json = try? JSONSerialization.jsonObject(with: answer.body) as? [String: Any]
        guard answer.isSuccess else {
            let detail = [json?["error"] as? String, json?["error_description"] as? String].compactMap { $0 }.joined(separator: ": ")
            throw TokenError(service: "Maskinporten", status: answer.status, detail: detail.isEmpty ? answer.text : detail,
                             isTransient: answer.status >= 500 || answer.status == 429)
        }
        guard let value = json?["access_token"] as? String else {
            throw TokenError(service: "Maskinporten", status: answer.status, detail: "the answer has no access_token",
                             isTransient: false)
        }
        let expiresIn = (json?["expires_in"] as? NSNumber)?.doubleValue ?? 120
        return AccessToken(value: value, expiresAt: now().addingTimeInterval(expiresIn),
                           scope: json?["scope"] as? String ?? scopes.joined(separator: " "))
    }
}

struct MaskinportenTokenProvider: AccessTokenProvider {
    let client: MaskinportenClient
    let scopes: [String]
    let systemUser: AltinnSystemUser?

    func accessToken() async throws -> String {
        try await client.accessToken(scopes: scopes, systemUser: systemUser).value
    }

    func invalidate() async { await client.clearCache() }
}
