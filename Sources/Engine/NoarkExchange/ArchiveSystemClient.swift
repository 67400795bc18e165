import NoarkExchange

/// The case/archive system's own BEST/EDU service (`difi.move.noarkSystem.endpointURL`), which takes incoming
/// messages by `PutMessage`. The adapter lives in Channels; tests use doubles.
public protocol ArchiveSystemClient: Sendable {
    /// Delivers `melding` and returns the archive system's receipt. Throws when the archive system cannot be
    /// reached, answers with a SOAP fault, or answers something that is not a `PutMessageResponse`.
    func putMessage(envelope: NoarkEnvelope, melding: Melding) async throws -> AppReceipt
}
