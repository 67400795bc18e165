import Foundation

/// A failed Service Bus call: the operation, the queue, the HTTP status and what Azure said.
public struct ServiceBusError: Error, Sendable, CustomStringConvertible {
    public var operation: String
    public var queue: String
    /// The HTTP status, or `nil` when the namespace could not be reached or timed out.
    public var status: Int?
    public var detail: String

    public init(operation: String, queue: String, status: Int?, detail: String) {
        self.operation = operation
        self.queue = queue
        self.status = status
        self.detail = detail
    }

    /// The upstream retries every failed send on its normal schedule (JMS redelivery), 4xx included: a queue
    /// that does not exist yet, or a SAS key that was rotated, can come right. Only a message the bus says is
    /// too large (413) cannot.
    public var isTransient: Bool { status != 413 }

    /// The bus refused our signature even with a freshly fetched key.
    public var isUnauthorized: Bool { status == 401 }

    public var description: String {
        var text = status.map { "Service Bus \(operation) on queue \(queue) failed with HTTP \($0): \(detail)" }
            ?? "Service Bus \(operation) on queue \(queue) failed: \(detail)"
        if status == 401 {
            text += " The shared access signature was refused: check difi.move.nextmove.serviceBus.sasKeyName and the key "
                + "(the service registry's /sastoken when difi.move.oidc.enable=true, else difi.move.nextmove.serviceBus.sasToken)."
        } else if status == 404 || status == 410 {
            text += " The queue does not exist; check the receiver's DPE service record (endpointUrl) and difi.move.nextmove.serviceBus.mode."
        }
        return text
    }

    /// Azure answers errors as `<Error><Code>…</Code><Detail>…</Detail></Error>`; the detail is what matters.
    static func detail(from body: Data) -> String {
        let text = String(decoding: body.prefix(4000), as: UTF8.self)
        if let start = text.range(of: "<Detail>"), let end = text.range(of: "</Detail>", range: start.upperBound..<text.endIndex) {
            return String(text[start.upperBound..<end.lowerBound]).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
