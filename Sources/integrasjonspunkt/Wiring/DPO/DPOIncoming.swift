import Channels
import Engine
import Foundation
import Logging
import Model
import ServiceLifecycle

/// Polls the Altinn broker for DPO messages every `difi.move.dpo.pollingrate` and hands them to the engine.
/// A message is confirmed at the broker only after it is stored, so a crash in between means it comes again —
/// and the engine recognises it by messageId.
final class DPOPoller: Service, Sendable {
    let transport: DPOTransport
    let incoming: IncomingMessageService
    let interval: TimeInterval
    let logger: Logger

    init(transport: DPOTransport, incoming: IncomingMessageService, interval: TimeInterval, logger: Logger) {
        self.transport = transport
        self.incoming = incoming
        self.interval = interval
        self.logger = logger
    }

    func run() async throws {
        await BackgroundLoop.run(name: "DPO polling", idle: interval, wakeUp: WakeUpSignal(), logger: logger) {
            do {
                try await self.runOnce()
                EngineMetrics.pollerRun(channel: "DPO", outcome: "success")
            } catch {
                EngineMetrics.pollerRun(channel: "DPO", outcome: "failure")
                throw error
            }
            return 0
        }
    }

    func runOnce() async throws {
        let incoming = self.incoming
        _ = try await transport.receiveOnce { transfer in
            let sbd: StandardBusinessDocument
            do {
                sbd = try StandardBusinessDocument.decode(from: transfer.sbdJSON)
            } catch {
                return .rejected("sbd.json is not a valid SBD: \(error)")
            }
            do {
                let outcome: IncomingMessageService.ReceiveOutcome
                if let asic = transfer.encryptedAsic {
                    outcome = try await incoming.receive(sbd, via: .DPO, container: Self.chunks(of: asic))
                } else {
                    outcome = try await incoming.receive(sbd, via: .DPO, container: Optional<AsyncThrowingStream<[UInt8], any Error>>.none)
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
    }

    /// The file's bytes, read on demand.
    static func chunks(of url: URL) throws -> AsyncThrowingStream<[UInt8], any Error> {
        let handle = try FileHandle(forReadingFrom: url)
        return AsyncThrowingStream(unfolding: {
            guard let data = try handle.read(upToCount: 256 * 1024), !data.isEmpty else {
                try? handle.close()
                return nil
            }
            return [UInt8](data)
        })
    }
}
