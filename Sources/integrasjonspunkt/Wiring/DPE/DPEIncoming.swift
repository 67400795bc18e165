import Channels
import Engine
import Foundation
import Logging
import Model
import ServiceLifecycle

/// The incoming side of DPE: one round over our Service Bus queue. A message is completed only after the engine
/// stored it, so a crash in between means the bus hands it out again once its lock runs out — and the engine
/// recognises it by messageId. A message that is no DPE payload, no valid SBD, or past its time to live is
/// completed and not offered (the upstream's AMQP reader dead-letters the unreadable ones); the reason is logged
/// as an audit line, and an expired one is recorded as OPPRETTET then LEVETID_UTLOPT.
struct DPEIncoming: IncomingChannel {
    let transport: DPETransport
    let board: DPEStatusBoard
    let time: any TimeSource
    let logger: Logger
    let name = "DPE"

    func receiveOnce(into incoming: IncomingMessageService) async throws -> Int {
        let outcomes: [DPETransport.Outcome]
        let transport = self.transport
        do {
            // A round waits on the network (the registry, the bus, up to connectTimeout each); on shutdown it is
            // cancelled rather than waited for. A message stored but not completed comes again after the restart.
            outcomes = try await cancelWhenGracefulShutdown {
                try await transport.receiveOnce { message in try await Self.hand(message, to: incoming) }
            }
        } catch where Task.isShuttingDownGracefully || Task.isCancelled {
            return 0
        } catch {
            board.roundFailed(error, at: time.now)
            throw error
        }
        board.roundSucceeded(at: time.now)
        for outcome in outcomes {
            guard case .rejected(let reason) = outcome.disposition else { continue }
            logger.error("DPE message not offered: \(reason)",
                         metadata: ["audit": "refuse", "serviceIdentifier": "DPE", "busMessageId": "\(outcome.busMessageId)",
                                    "queue": "\(transport.naming.ownQueue)"])
        }
        return outcomes.filter { $0.disposition != nil }.count
    }

    static func hand(_ message: DPETransport.IncomingMessage, to incoming: IncomingMessageService) async throws -> DPETransport.Disposition {
        let sbd: StandardBusinessDocument
        do {
            sbd = try StandardBusinessDocument.decode(from: message.sbdJSON)
        } catch {
            return .rejected("the \"sbd\" is not a valid SBD: \(error)")
        }
        do {
            let outcome: IncomingMessageService.ReceiveOutcome
            if let asic = message.encryptedAsic {
                outcome = try await incoming.receive(sbd, via: .DPE, container: try FileByteStream.open(asic))
            } else {
                outcome = try await incoming.receive(sbd, via: .DPE, container: Optional<AsyncThrowingStream<[UInt8], any Error>>.none)
            }
            switch outcome {
            case .duplicate: return .duplicate
            case .refused(let reason): return .rejected(reason)
            case .expired:
                return .rejected("message \(sbd.messageId ?? "?") is past its time to live (expectedResponseDateTime); recorded as LEVETID_UTLOPT and not offered")
            case .stored, .statusRegistered: return .stored
            }
        } catch let error as NextMoveError where error.httpStatus < 500 {
            return .rejected(error.message)
        }
    }
}
