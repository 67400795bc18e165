import Foundation

/// Failures of the sandbox itself (not the wire errors it answers with).
public enum SandboxError: Error, Sendable, CustomStringConvertible {
    case serverDidNotStart(name: String, host: String, port: Int)
    case cannotWrite(path: String, reason: String)
    /// The sandbox corner 2 has no letter with this messageId.
    case unknownLetter(String)

    public var description: String {
        switch self {
        case .serverDidNotStart(let name, let host, let port):
            "The sandbox \(name) could not start on \(host):\(port); choose another port or free this one."
        case .cannotWrite(let path, let reason):
            "The sandbox cannot write \(path): \(reason)."
        case .unknownLetter(let messageId):
            "The sandbox corner 2 has no letter with messageId \(messageId)."
        }
    }
}
