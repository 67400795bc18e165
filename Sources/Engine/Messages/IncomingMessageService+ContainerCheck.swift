import Foundation
import Logging
import Model
import Storage

extension IncomingMessageService {
    /// Runs the container check on a stored container. Returns the reason when the container is refused (its
    /// payload is then removed); throws when the check could not run, leaving nothing behind, so the channel
    /// delivers the message again.
    func checkContainer(messageId: String) async throws -> String? {
        guard let containerCheck else { return nil }
        do {
            try await containerCheck.check(try payloads.openContainer(messageId: messageId, key: Self.containerKey),
                                           messageId: messageId)
            return nil
        } catch let refused as ContainerRefused {
            try? payloads.delete(messageId: messageId)
            return refused.reason
        } catch {
            try? payloads.delete(messageId: messageId)
            throw error
        }
    }

    /// A refused container: the conversation shows OPPRETTET and FEIL with the reason, the sender gets a FEIL
    /// status receipt (when statuses go back over this channel), and an audit line says what was refused and why.
    /// The upstream has no such check; it would offer the container and fail at pop or in the archive system.
    func recordRefused(_ conversation: Conversation, sbd: StandardBusinessDocument, service: ServiceIdentifier,
                       reason: String, now: Date) async throws {
        let description = "The incoming container was refused and not offered to the archive system: \(reason)"
        let receipt = try receiptJSON(for: sbd, status: .FEIL, service: service)
        let messageId = conversation.messageId
        let recorded = try await store.write { [registrar] tx -> Bool in
            // Another instance sharing the database may have refused the same broker file a moment ago.
            if try tx.conversation(messageId: messageId, direction: .INCOMING) != nil { return false }
            var stored = conversation
            stored.id = try tx.insertConversation(conversation)
            try registrar.register(.OPPRETTET, onLocked: &stored, at: now, in: tx)
            try registrar.register(.FEIL, onLocked: &stored, description: description, at: now, in: tx)
            if let receipt {
                _ = try tx.insertJob(OutboxJob(kind: .sendStatus, messageId: messageId, payload: receipt,
                                               createdAt: now, nextAttemptAt: now))
            }
            return true
        }
        guard recorded else { return }
        if receipt != nil { wakeUp.signal() }
        logger.error("Incoming message refused: \(reason)", metadata: [
            "audit": "refuse", "messageId": "\(messageId)", "conversationId": "\(conversation.conversationId)",
            "senderIdentifier": "\(sbd.senderIdentifier ?? "")", "serviceIdentifier": "\(service.rawValue)",
        ])
    }
}
