import Foundation

/// A failed SvarUt call: the operation, the HTTP status, and what SvarUt (or the network) said.
///
/// `isUnrecoverable` follows the upstream's `SvarUtFaultInterceptor`: a fault whose text names a duplicate, a
/// forsendelse with the same receiver, invalid content, a read error or an empty document will fail the same way
/// every time, so the message gets FEIL at once; every other failure (network, 5xx, 401, other faults) is retried
/// on the normal schedule until the message's time to live. The REST API's error bodies are classified by the
/// same words (`[U]`: the upstream's REST client does not classify them).
public struct SvarUtError: Error, Sendable, Equatable, CustomStringConvertible {
    public var operation: String
    /// The HTTP status, or nil when SvarUt could not be reached or did not answer in time.
    public var status: Int?
    /// The fault or error text.
    public var detail: String
    public var isUnrecoverable: Bool

    /// The words of the faults that retrying cannot fix.
    public static let unrecoverableMarkers = [
        "Duplikat", "Forsendelse med samme mottaker", "Ugyldig innhold", "Feil under lesing av",
        "Kan ikke lagre tomt dokument",
    ]

    public init(operation: String, status: Int?, detail: String, isUnrecoverable: Bool? = nil) {
        self.operation = operation
        self.status = status
        self.detail = detail
        self.isUnrecoverable = isUnrecoverable ?? Self.isUnrecoverableFault(detail)
    }

    /// Whether a fault text names one of the unrecoverable faults.
    public static func isUnrecoverableFault(_ text: String) -> Bool {
        unrecoverableMarkers.contains { text.contains($0) }
    }

    /// Whether the text says the forsendelse id was used before (the duplicate a retry after a lost answer meets).
    public var isDuplicate: Bool { detail.contains("Duplikat") }

    public var description: String {
        let where_ = status.map { "HTTP \($0)" } ?? "no answer"
        let hint: String
        switch status {
        case 401: hint = " Check the SvarUt username and password (difi.move.fiks.ut.*) in KS forvaltning."
        case 403: hint = " The account may not send on behalf of this organisation; check difi.move.fiks.ut.paaVegneAv."
        default: hint = ""
        }
        return "SvarUt \(operation) failed (\(where_)): \(detail)\(hint)"
    }
}
