import Foundation

/// Why a DPI operation failed, in words for the person reading the log or the FEIL status.
public enum DPIError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The receiver's record lacks what a letter needs (mailbox, certificate).
    case incompleteRecipient(String)
    /// The message cannot be turned into a DPI letter (missing title, security level, document …).
    case invalidMessage(String)
    /// The contact register's print provider could not be read.
    case printProviderUnavailable(String)
    /// Corner 2 refused or failed a call; `status` is nil when it could not be reached.
    case corner2(operation: String, status: Int?, detail: String)
    /// A receipt from corner 2 could not be read or did not verify.
    case rejectedReceipt(String)

    public var description: String {
        switch self {
        case .incompleteRecipient(let detail):
            return "The DPI receiver cannot get this letter: \(detail)."
        case .invalidMessage(let detail):
            return "The message cannot be sent as a DPI letter: \(detail)."
        case .printProviderUnavailable(let detail):
            return "The print provider could not be read from the contact register (difi.move.dpi.krr-print-url): \(detail)."
        case .corner2(let operation, let status, let detail):
            if let status {
                return "The DPI corner 2 answered \(operation) with HTTP \(status): \(detail)"
            }
            return "The DPI corner 2 could not be reached for \(operation) (difi.move.dpi.uri): \(detail)"
        case .rejectedReceipt(let detail):
            return "A DPI receipt was refused: \(detail)"
        }
    }

    /// The HTTP status corner 2 answered with, if it answered.
    public var status: Int? {
        if case .corner2(_, let status, _) = self { return status }
        return nil
    }

    /// Whether trying again later can help: network trouble, 5xx, 408, 429, an unreachable contact register.
    public var isTransient: Bool {
        switch self {
        case .printProviderUnavailable: return true
        case .corner2(_, let status, _):
            guard let status else { return true }
            return status >= 500 || status == 408 || status == 429 || status == 401
        case .incompleteRecipient, .invalidMessage, .rejectedReceipt: return false
        }
    }
}
