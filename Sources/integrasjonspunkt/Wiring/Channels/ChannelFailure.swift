import Channels
import Engine
import Foundation
import Model

/// A channel client's error that knows whether trying again can help.
protocol RetryableError: Error, CustomStringConvertible {
    var isTransient: Bool { get }
}

extension AltinnBrokerError: RetryableError {}
extension CorrespondenceError: RetryableError {}
extension DPIError: RetryableError {}
extension ServiceBusError: RetryableError {}
extension DPEMessagePacker.PackingError: RetryableError {
    var isTransient: Bool { false }
}
extension DPEQueueNaming.NamingError: RetryableError {
    /// A record without endpointUrl can be corrected in the registry: tried again, as upstream.
    var isTransient: Bool {
        if case .badReceiver = self { false } else { true }
    }
}
extension ServiceRegistryError: RetryableError {}
extension TokenError: RetryableError {}
extension SvarUtError: RetryableError {
    var isTransient: Bool { !isUnrecoverable }
}

extension ChannelError {
    /// `error` as the engine takes it: a channel client's error by its own judgement, anything unknown retried
    /// (a network failure, a full disk) until the time to live.
    static func classifying(_ error: any Error) -> ChannelError {
        switch error {
        case let error as ChannelError: error
        case let error as any RetryableError:
            error.isTransient ? .transient(error.description) : .permanent(error.description)
        default: .transient("\(error)")
        }
    }
}

extension OutgoingDelivery {
    /// The stored SBD; one that no longer reads is a permanent failure.
    func decodedSBD() throws -> StandardBusinessDocument {
        do {
            return try StandardBusinessDocument.decode(from: Data(sbd.utf8))
        } catch {
            throw ChannelError.permanent("The stored SBD cannot be read: \(error)")
        }
    }
}
