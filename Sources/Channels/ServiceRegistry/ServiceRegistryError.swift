import Foundation

/// Why a service registry lookup failed. Each message says what was asked and what the registry said.
public enum ServiceRegistryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 404: the registry does not know the identifier.
    case identifierNotFound(identifier: String, detail: String)
    /// The receiver has no record for the process whose document types contain the document type.
    case receiverDoesNotAcceptProcess(receiver: String, process: String, documentType: String, detail: String)
    /// The signed answer did not verify against the registry's JWK set: never trusted.
    case badSignature(String)
    /// Another 4xx/5xx answer, with the registry's `error_description`.
    case registryError(status: Int, detail: String)
    /// The registry could not be reached or timed out.
    case unavailable(String)
    /// The answer could not be read.
    case malformedAnswer(String)

    /// Worth retrying later: the registry was unreachable or answered 5xx.
    public var isTransient: Bool {
        switch self {
        case .unavailable: true
        case .registryError(let status, _): status >= 500 || status == 429
        default: false
        }
    }

    public var description: String {
        switch self {
        case .identifierNotFound(let identifier, let detail):
            "The service registry does not know '\(identifier)'\(detail.isEmpty ? "" : ": \(detail)"). Check the receiver's organisation number."
        case .receiverDoesNotAcceptProcess(let receiver, let process, let documentType, let detail):
            "Receiver '\(receiver)' has no service record for process '\(process)' with document type '\(documentType)'"
                + (detail.isEmpty ? "." : " (\(detail)).")
        case .badSignature(let detail):
            "The service registry's answer has a bad signature and was refused: \(detail)."
        case .registryError(let status, let detail):
            "The service registry answered HTTP \(status): \(detail)"
        case .unavailable(let detail):
            "The service registry cannot be reached: \(detail)"
        case .malformedAnswer(let detail):
            "The service registry's answer could not be read: \(detail)"
        }
    }
}
