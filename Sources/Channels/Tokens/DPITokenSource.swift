import Foundation

/// The bearer tokens of the DPI corner 2: Maskinporten tokens with scope `digitalpostinnbygger:send`, for a send with
/// `consumer_org` = the organisation the letter is sent for (`internals.md` §2.6). The same token goes into the
/// forretningsmelding as `maskinportentoken`.
public protocol DPITokenSource: Sendable {
    /// A token; `consumerOrganisation` is the avsender's organisation number for sends, nil for polling.
    func token(consumerOrganisation: String?) async throws -> String
    /// Forgets cached tokens (after a 401 from corner 2).
    func invalidate() async
}

/// Tokens from Maskinporten (`difi.move.dpi.oidc.*`), cached by the client until shortly before they expire.
public struct MaskinportenDPITokens: DPITokenSource {
    public static let defaultScopes = ["digitalpostinnbygger:send"]

    private let client: MaskinportenClient
    private let scopes: [String]

    public init(client: MaskinportenClient, scopes: [String] = MaskinportenDPITokens.defaultScopes) {
        self.client = client
        self.scopes = scopes
    }

    /// As the upstream, every send asks with `consumer_org`, also for our own organisation.
    public func token(consumerOrganisation: String?) async throws -> String {
        try await client.accessToken(scopes: scopes, consumerOrganization: consumerOrganisation).value
    }

    public func invalidate() async { await client.clearCache() }
}

/// A fixed token (`difi.move.dpi.oidc.enable=false` with `difi.move.dpi.oidc.mock.token`): test set-ups only.
public struct FixedDPIToken: DPITokenSource {
    private let value: String
    public init(_ value: String) { self.value = value }
    public func token(consumerOrganisation: String?) async throws -> String { value }
    public func invalidate() async {}
}
