import Foundation
import Model

/// The receiving side of a transport: one polling round at the channel (Altinn broker, SvarInn, Service Bus, DPI
/// receipts), each message handed to the engine's ``IncomingMessageService/receive(_:via:container:)`` and only
/// acknowledged at the channel after that returned — so a crash in between means the channel offers it again,
/// and the engine recognises it by messageId.
public protocol IncomingChannel: Sendable {
    /// A name for logs and metrics ("DPO", "DPF SvarInn", …).
    var name: String { get }

    /// Runs one round; answers how many messages it handled (the poller goes again at once when it is more than
    /// zero, and pauses otherwise). Failures of single messages are the channel's to report and skip; throwing
    /// means the whole round failed (the channel is unreachable) and is retried after a growing pause.
    func receiveOnce(into incoming: IncomingMessageService) async throws -> Int
}
