import Model

/// What a receiver can receive, from the service registry (`GET /api/capabilities/{receiverIdentifier}`).
public protocol CapabilityLookup: Sendable {
    /// Throws `NextMoveError.identifierNotFound` when the registry does not know the receiver.
    func capabilities(of receiver: String, process: String?, securityLevel: Int?) async throws -> Capabilities
}
