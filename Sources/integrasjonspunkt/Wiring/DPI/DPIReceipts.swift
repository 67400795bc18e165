import Channels
import Engine
import Foundation
import Model

/// DPI's receipts: one round over every channel's `messages/in`. Each verified receipt becomes a status on our
/// letter's conversation (leveringskvittering and mottakskvittering LEVERT, aapningskvittering LEST,
/// varslingfeilet, returpost and feil FEIL, anything else ANNET) at the receipt's own time, with MOTTATT recorded
/// first when it is missing; only then is the receipt marked read at corner 2.
struct DPIReceipts: IncomingChannel {
    let transport: DPITransport
    let time: any TimeSource
    let name = "DPI receipts"

    func receiveOnce(into incoming: IncomingMessageService) async throws -> Int {
        let outcomes = try await transport.receiveReceipts(at: { [time] in time.now }) { receipt in
            let meaning = receipt.status
            _ = try await incoming.registerReceipt(
                .init(conversationId: receipt.conversationId, status: meaning.status, description: meaning.description,
                      rawReceipt: receipt.jwt, at: receipt.tidspunkt, recordsMottattBeforeLevert: true),
                via: .DPI)
        }
        return outcomes.filter { if case .applied = $0 { true } else { false } }.count
    }
}
