import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Exchanges a Maskinporten token for an Altinn token (`GET difi.move.dpo.altinnTokenExchangeUrl`).
///
/// The Maskinporten token is asked for with the channel's scopes — for DPO the broker scopes and the Altinn
/// system user, for DPV `eformidling:dpv` and no system user; the plain-text answer is the Altinn token, cached
/// until `refreshMargin` before its own `exp` (read from the JWT without verifying it). This is the
/// `AccessTokenProvider` the broker and correspondence clients use.
public actor AltinnTokenExchange: AccessTokenProvider {
    public let exchangeURL: String
    private let maskinporten: MaskinportenClient
    private let scopes: [String]
    private let systemUser: AltinnSystemUser?
    private let httpClient: HTTPClient
    private let timeout: TimeAmount
    private let refreshMargin: TimeInterval
    private let now: @Sendable () -> Date
    private var cached: (token: String, expiresAt: Date)?
    private var inFlight: Task<(String, Date), any Error>?

    public init(exchangeURL: String, maskinporten: MaskinportenClient, systemUser: AltinnSystemUser?,
                scopes: [String] = MaskinportenScopes.altinnBroker, httpClient: HTTPClient,
                timeout: TimeAmount = .seconds(30), refreshMargin: TimeInterval = 300,
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.exchangeURL = exchangeURL
        self.maskinporten = maskinporten
        self.systemUser = systemUser
        self.scopes = scopes
        self.httpClient = httpClient
        self.timeout = timeout
        self.refreshMargin = refreshMargin
        self.now = now
    }

    public func accessToken() async throws -> String {
        if let cached, cached.expiresAt.timeIntervalSince(now()) > refreshMargin { return cached.token }
        // Concurrent callers share one exchange.
        if let inFlight { return try await inFlight.value.0 }
        let exchange = Task { try await self.exchange() }
        inFlight = exchange
        defer { inFlight = nil }
        // Cancelled with its caller (a poller at shutdown) instead of waiting out the HTTP timeout.
        let (token, expiresAt) = try await withTaskCancellationHandler { try await exchange.value } onCancel: { exchange.cancel() }
        cached = (token, expiresAt)
        return token
    }

    private func exchange() async throws -> (String, Date) {
        let maskinportenToken = try await maskinporten.accessToken(scopes: scopes, systemUser: systemUser)
        var request = HTTPClientRequest(url: exchangeURL)
        request.method = .GET
        request.headers.add(name: "Authorization", value: "Bearer \(maskinportenToken.value)")
        let answer: HTTPAnswer
        do {
            answer = try await HTTPExchange.send(request, on: httpClient, timeout: timeout)
        } catch let failure as HTTPExchange.TransportFailure {
            throw TokenError(service: "Altinn token exchange", status: nil, detail: failure.description, isTransient: true)
        }
        guard answer.isSuccess else {
            throw TokenError(service: "Altinn token exchange", status: answer.status, detail: answer.text,
                             isTransient: answer.status >= 500 || answer.status == 429)
        }
        var token = answer.text.trimmingCharacters(in: .whitespacesAndNewlines)
        if token.hasPrefix("\"") && token.hasSuffix("\"") && token.count >= 2 { token = String(token.dropFirst().dropLast()) }
        // An Altinn token lives 30 minutes; without a readable exp, keep it 25 as the upstream does.
        let expiresAt = UnverifiedJWT.expiry(token) ?? now().addingTimeInterval(30 * 60)
        return (token, expiresAt)
    }

    /// Forgets the cached Altinn token and Maskinporten tokens (after a 401 from the broker).
    public func invalidate() async {
        cached = nil
        await maskinporten.clearCache()
    }
}
