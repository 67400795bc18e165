import Foundation
import Logging
import Model
import ServiceLifecycle
import Storage

/// Ends conversations whose time to live has passed (`difi.move.nextmove.ttlPollingrate`).
///
/// Registers `LEVETID_UTLOPT`, discards an unconsumed incoming message with its payload, and ends an outgoing
/// message that can no longer be sent: its files and queued jobs go, its row stays marked expired so that the
/// API still answers for it (`StoreTransaction.keepExpiredOutgoing`).
public final class ExpirySweeper: Service, Sendable {
    let store: any MessageStore
    let payloads: PayloadVault
    let registrar: StatusRegistrar
    let settings: EngineSettings
    let time: any TimeSource
    let logger: Logger

    public init(store: any MessageStore, payloads: PayloadVault, registrar: StatusRegistrar, settings: EngineSettings,
                time: any TimeSource, logger: Logger) {
        self.store = store
        self.payloads = payloads
        self.registrar = registrar
        self.settings = settings
        self.time = time
        self.logger = logger
    }

    public func run() async throws {
        // Sweeps on a fixed interval: a sweep that found work does not make the next one come sooner.
        await BackgroundLoop.run(name: "The expiry sweep", idle: settings.expiryInterval, wakeUp: WakeUpSignal(),
                                 logger: logger) {
            _ = try await self.runOnce()
            return 0
        }
    }

    /// Expires everything due now; returns the messageIds it expired.
    @discardableResult
    public func runOnce() async throws -> [String] {
        let now = time.now
        let expired = try await store.write { [registrar] tx -> [String] in
            var ids: [String] = []
            for var conversation in try tx.expiredConversations(now: now, limit: 500) {
                // nil: another instance sharing the database expired it a moment ago.
                guard try registrar.register(.LEVETID_UTLOPT, on: &conversation, at: now, in: tx) != nil else {
                    continue
                }
                switch conversation.direction {
                case .INCOMING:
                    try tx.deleteIncoming(messageId: conversation.messageId)
                case .OUTGOING:
                    try tx.keepExpiredOutgoing(messageId: conversation.messageId, at: now)
                }
                ids.append(conversation.messageId)
            }
            return ids
        }
        for messageId in expired {
            try? payloads.delete(messageId: messageId)
            logger.warning("Time to live passed; message expired", metadata: ["messageId": "\(messageId)"])
        }
        return expired
    }
}

