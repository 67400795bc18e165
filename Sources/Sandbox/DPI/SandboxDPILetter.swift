import Foundation

/// A letter the sandbox corner 2 accepted, as tests and the demo inspect it.
public struct SandboxDPILetter: Sendable {
    public let messageId: String
    public let conversationId: String
    /// `digital` or `utskrift`.
    public let type: String
    /// The channel (`kanal`) it was sent on.
    public let channel: String?
    /// The avsender's organisation number (`avsender.virksomhetsidentifikator`).
    public let avsenderOrganisation: String
    public let avsenderidentifikator: String?
    /// The postbox or print provider's organisation number (the SBD's receiver).
    public let providerOrganisation: String
    public let receivedAt: Date
    /// The signed forretningsmelding as posted, and its verified JSON payload.
    public let forretningsmelding: String
    public let payload: Data
    /// Where the encrypted document package (`asic.cms`) is kept.
    public let documentPackage: URL
    /// The claims of the bearer token it was posted with.
    public let tokenClaimsJSON: Data

    public var tokenClaims: [String: Any] {
        (try? JSONSerialization.jsonObject(with: tokenClaimsJSON) as? [String: Any]) ?? [:]
    }

    /// The organisation the posting token was issued to (its `consumer`), e.g. `0192:910077473`.
    public var callerOrganisation: String { SandboxCorner2.organisation(of: tokenClaims) }

    /// The business message object (`digital` or `utskrift`) of the payload.
    public var businessMessage: [String: Any] {
        let root = (try? JSONSerialization.jsonObject(with: payload) as? [String: Any]) ?? [:]
        let document = root["standardBusinessDocument"] as? [String: Any] ?? [:]
        return document[type] as? [String: Any] ?? [:]
    }
}
