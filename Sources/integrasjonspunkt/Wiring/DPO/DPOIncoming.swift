import Channels
import Engine
import Foundation
import Model

/// The incoming side of DPO: one round at the Altinn broker. A transfer is confirmed only after the engine stored
/// its message, so a crash in between means it comes again — and the engine recognises it by messageId.
struct DPOIncoming: IncomingChannel {
    let transport: DPOTransport
    let name = "DPO"

    func receiveOnce(into incoming: IncomingMessageService) async throws -> Int {
        let outcomes = try await transport.receiveOnce { transfer in
            let sbd: StandardBusinessDocument
            do {
                sbd = try StandardBusinessDocument.decode(from: transfer.sbdJSON)
            } catch {
                return .rejected("sbd.json is not a valid SBD: \(error)")
            }
            do {
                let outcome: IncomingMessageService.ReceiveOutcome
                if let asic = transfer.encryptedAsic {
                    outcome = try await incoming.receive(sbd, via: .DPO, container: try asic.chunks())
                } else {
                    outcome = try await incoming.receive(sbd, via: .DPO, container: Optional<AsyncThrowingStream<[UInt8], any Error>>.none)
                }
                if outcome == .stored || outcome == .duplicate {
                    // The receiver's archive system answers one of our messages: LEST or FEIL on it.
                    try await incoming.registerArkivmeldingReceipt(sbd)
                }
                switch outcome {
                case .duplicate: return .duplicate
                case .refused(let reason): return .rejected(reason)
                case .stored, .statusRegistered, .expired: return .stored
                }
            } catch let error as NextMoveError where error.httpStatus < 500 {
                return .rejected(error.message)
            }
        }
        return outcomes.filter { $0.disposition != nil }.count
    }
}
