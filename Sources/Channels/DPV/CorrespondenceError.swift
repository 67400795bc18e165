import Foundation

/// A failed DPV call, or a message DPV cannot carry.
public enum CorrespondenceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Altinn (or Digdir's proxy) answered with an error: the operation, the status and its ProblemDetails text.
    case refused(operation: String, status: Int, detail: String)
    /// Altinn could not be reached or did not answer in time.
    case unreachable(operation: String, detail: String)
    /// No Altinn token: Maskinporten or the token exchange refused or failed. Retried: it is a matter of
    /// configuration or of the services' availability, not of the message.
    case noToken(operation: String, detail: String)
    /// The message cannot become a correspondence (no resource, a business message DPV does not carry, …).
    case invalidMessage(String)

    public var status: Int? {
        if case .refused(_, let status, _) = self { return status }
        return nil
    }

    /// 409: the idempotency key (the messageId) is known: an earlier attempt got through.
    public var isConflict: Bool { status == 409 }
    /// The correspondence is gone (deleted at Altinn).
    public var isGone: Bool { status == 404 || status == 410 }

    /// 5xx, 408, 429 and transport failures are retried; other 4xx and invalid messages are not (the upstream's
    /// intent: its `QueueInterruptException`).
    public var isTransient: Bool {
        switch self {
        case .refused(_, let status, _): status >= 500 || status == 408 || status == 429
        case .unreachable, .noToken: true
        case .invalidMessage: false
        }
    }

    public var description: String {
        switch self {
        case .refused(let operation, let status, let detail):
            "Altinn Correspondence \(operation) failed with HTTP \(status): \(detail)"
        case .unreachable(let operation, let detail):
            "Altinn Correspondence \(operation) failed: \(detail)"
        case .noToken(let operation, let detail):
            "Altinn Correspondence \(operation): no Altinn token (\(detail)); check difi.move.dpv.oidc.* and difi.move.dpv.altinnTokenExchangeUrl, and that the Maskinporten client has the scope eformidling:dpv"
        case .invalidMessage(let text):
            text
        }
    }
}
