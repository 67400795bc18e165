import Foundation
import Model
import Storage

extension StoreTransaction {
    /// Ends an outgoing message whose time to live has passed, in the transaction that registers its
    /// `LEVETID_UTLOPT`: the row stays, marked expired and without its files, and its queued send jobs go.
    ///
    /// Keeping the row is what lets the API tell the truth afterwards: a send answers 400 with the upstream's
    /// `TimeToLiveException` text instead of 404, a get still shows the SBD, and the conversation keeps OPPRETTET
    /// then LEVETID_UTLOPT. Housekeeping removes the row together with its conversation. The caller deletes the
    /// payloads once the transaction has committed. Returns false when there was no such message or it was
    /// expired already.
    @discardableResult
    func keepExpiredOutgoing(messageId: String, at now: Date) throws -> Bool {
        let expired = try expireOutgoing(messageId: messageId, at: now)
        for job in try jobs(messageId: messageId) where job.kind == .sendMessage {
            try deleteJob(id: job.id)
        }
        return expired
    }

    /// Locks the outgoing conversation of `messageId`, if there is one, before the caller reads and changes the
    /// message. An expiry registers LEVETID_UTLOPT under the same lock, so on a database shared by several
    /// instances a send or an upload either sees the message expired or commits before the expiry does.
    func lockOutgoingConversation(messageId: String) throws {
        try lockConversationRow(messageId: messageId, direction: .OUTGOING)
    }

    /// Deletes the outgoing message of `messageId` when it is kept only because it expired and no conversation
    /// refers to it any more (its files went when it expired): it was there to answer for that conversation.
    func deleteExpiredOutgoingWithoutConversation(messageId: String) throws {
        guard let message = try outgoing(messageId: messageId), message.state == .expired,
              try conversations(messageId: messageId).isEmpty else { return }
        try deleteOutgoing(messageId: messageId)
    }
}
