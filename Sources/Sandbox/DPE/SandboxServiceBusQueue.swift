import Foundation

/// A message as a sandbox Service Bus queue holds it, for inspection by tests.
public struct SandboxServiceBusMessage: Sendable, Equatable {
    public var messageId: String
    public var sequenceNumber: Int64
    public var body: Data
    public var contentType: String?
    public var enqueuedAt: Date
    /// Deliveries so far (peek-locks that handed it out).
    public var deliveryCount: Int
    /// When the message expires on the bus (`TimeToLive` of its `BrokerProperties`), if ever.
    public var expiresAt: Date?
    /// The current lock, if a receiver holds one that has not run out.
    public var lockToken: String?
    public var lockedUntil: Date?

    func isLocked(at now: Date) -> Bool {
        guard let lockedUntil else { return false }
        return lockedUntil > now
    }
}

/// One queue of the sandbox Service Bus: first in, first out, with peek-lock, complete and unlock as Azure's
/// queues have them. A lock runs out after the lock duration, and the message is handed out again with its
/// delivery count raised; after `maxDeliveryCount` deliveries it moves to the dead-letter queue. Pure state; the
/// caller passes the time.
struct SandboxServiceBusQueue: Sendable {
    private(set) var messages: [SandboxServiceBusMessage] = []
    private(set) var deadLetters: [SandboxServiceBusMessage] = []
    private(set) var completed = 0
    private var nextSequenceNumber: Int64 = 1

    enum LockFailure: Error, Equatable {
        /// No message with that id, or the lock token is not the current one, or it ran out.
        case lockLost
    }

    mutating func enqueue(body: Data, messageId: String, contentType: String?, timeToLive: TimeInterval?, now: Date) -> SandboxServiceBusMessage {
        let message = SandboxServiceBusMessage(
            messageId: messageId, sequenceNumber: nextSequenceNumber, body: body, contentType: contentType, enqueuedAt: now,
            deliveryCount: 0, expiresAt: timeToLive.map { now.addingTimeInterval($0) }, lockToken: nil, lockedUntil: nil)
        nextSequenceNumber += 1
        messages.append(message)
        return message
    }

    /// Locks the first message that is not locked (dropping expired ones, dead-lettering over-delivered ones).
    mutating func peekLock(now: Date, lockDuration: TimeInterval, maxDeliveryCount: Int) -> SandboxServiceBusMessage? {
        messages.removeAll { ($0.expiresAt.map { $0 <= now } ?? false) && !$0.isLocked(at: now) }
        while let index = messages.firstIndex(where: { !$0.isLocked(at: now) }) {
            if messages[index].deliveryCount >= maxDeliveryCount {
                var dead = messages.remove(at: index)
                dead.lockToken = nil
                dead.lockedUntil = nil
                deadLetters.append(dead)
                continue
            }
            messages[index].deliveryCount += 1
            messages[index].lockToken = UUID().uuidString.lowercased()
            messages[index].lockedUntil = now.addingTimeInterval(lockDuration)
            return messages[index]
        }
        return nil
    }

    /// Removes the message for good when `lockToken` is its live lock.
    mutating func complete(messageId: String, lockToken: String, now: Date) throws(LockFailure) {
        let index = try lockedIndex(messageId: messageId, lockToken: lockToken, now: now)
        messages.remove(at: index)
        completed += 1
    }

    /// Releases the lock so the message is handed out again at once.
    mutating func unlock(messageId: String, lockToken: String, now: Date) throws(LockFailure) {
        let index = try lockedIndex(messageId: messageId, lockToken: lockToken, now: now)
        messages[index].lockToken = nil
        messages[index].lockedUntil = nil
    }

    private func lockedIndex(messageId: String, lockToken: String, now: Date) throws(LockFailure) -> Int {
        guard let index = messages.firstIndex(where: { $0.messageId == messageId && $0.lockToken == lockToken }),
              messages[index].isLocked(at: now) else { throw .lockLost }
        return index
    }
}
