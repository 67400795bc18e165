import Channels
import Engine
import Foundation
import Model

/// The incoming side of DPF: one SvarInn round over every mailbox. Each forsendelse is stored by the engine — its
/// container checked and kept encrypted as any incoming message — before SvarInn is told `kvitterMottak`; one the
/// engine refuses is answered `mottakFeilet` with the reason.
struct DPFIncoming: IncomingChannel {
    let receiver: SvarInnReceiver
    let name = "DPF SvarInn"

    func receiveOnce(into incoming: IncomingMessageService) async throws -> Int {
        let outcomes = try await receiver.receiveOnce { forsendelse in
            do {
                let outcome = try await incoming.receive(forsendelse.sbd, via: .DPF,
                                                         container: try FileByteStream.open(forsendelse.encryptedContainer))
                switch outcome {
                case .duplicate: return .duplicate
                case .refused(let reason): return .refused(reason)
                case .stored, .statusRegistered, .expired: return .stored
                }
            } catch let error as NextMoveError where error.httpStatus < 500 {
                return .refused(error.message)
            }
        }
        return outcomes.filter {
            if case .retryLater = $0.result { return false }
            return true
        }.count
    }
}
