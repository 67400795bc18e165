import Foundation
@_exported import Model

/// The durable state of an integration point: messages, files, conversations, statuses, the outbox and webhooks.
///
/// Every change that belongs together runs in one `write` transaction, so that, for example, accepting a send and
/// queueing its outbox job commit together or not at all. Bodies are synchronous: keep network calls out of them.
public protocol MessageStore: Sendable {
    /// Runs `body` in one read-write transaction; a thrown error rolls everything back.
    func write<T: Sendable>(_ body: @escaping @Sendable (any StoreTransaction) throws -> T) async throws -> T
    /// Runs `body` against a consistent snapshot.
    func read<T: Sendable>(_ body: @escaping @Sendable (any StoreTransaction) throws -> T) async throws -> T
    /// Answers whether the database is reachable (for `/manage/health`).
    func ping() async -> Bool
    /// Why the database cannot be used right now, in words an operator can act on (for `/manage/health`); nil
    /// when it answers.
    func healthProblem() async -> String?

    /// Runs `body`, which makes exactly one store call that every backend runs as a single statement: atomic on
    /// its own, so a backend across the network may run it without a transaction around it (PostgreSQL: one round
    /// trip instead of three). The default is `write`. Call it through the operations in
    /// `MessageStore+SingleStatements.swift`, which are such calls, rather than directly.
    func writeSingleStatement<T: Sendable>(_ body: @escaping @Sendable (any StoreTransaction) throws -> T) async throws -> T
}

extension MessageStore {
    public func healthProblem() async -> String? {
        await ping() ? nil : "The database does not answer; check the disk and the file permissions of the "
            + "working folder, or the PostgreSQL server."
    }
}

/// The operations available inside a transaction. Method names read as sentences at the call site.
public protocol StoreTransaction {
    // MARK: Outgoing messages (created, uploading, or accepted and waiting for the outbox)
    func insertOutgoing(_ message: OutgoingMessageRecord) throws
    func outgoing(messageId: String) throws -> OutgoingMessageRecord?
    func updateOutgoing(_ message: OutgoingMessageRecord) throws
    /// Deletes the message and its file rows; returns whether it existed.
    @discardableResult func deleteOutgoing(messageId: String) throws -> Bool
    /// Marks the message `expired` (last updated `at`) and deletes its file rows, keeping the row and its SBD.
    /// Returns false when there is no such message or it was expired already.
    @discardableResult func expireOutgoing(messageId: String, at: Date) throws -> Bool
    func findOutgoing(_ query: MessageQuery, page: PageRequest) throws -> Page<OutgoingMessageRecord>
    func insertFile(_ file: StoredFileRecord) throws
    func files(messageId: String) throws -> [StoredFileRecord]
    /// `outgoing(messageId:)` and its `files(messageId:)` together, in one statement where the store can; nil
    /// when there is no such message.
    func outgoingWithFiles(messageId: String) throws -> (OutgoingMessageRecord, [StoredFileRecord])?

    // MARK: Incoming messages (waiting for the archive system: peek → pop → delete)
    func insertIncoming(_ message: IncomingMessageRecord) throws
    func incoming(messageId: String) throws -> IncomingMessageRecord?
    /// Whether a message with `messageId` came in already: an incoming message, or an incoming conversation (which
    /// outlives the message), with that id. One statement where the store can.
    func receivedBefore(messageId: String) throws -> Bool
    func findIncoming(_ query: MessageQuery, page: PageRequest) throws -> Page<IncomingMessageRecord>
    /// Locks the oldest unlocked (or lock-expired) message matching `query` until `until`, and returns it.
    func lockNextIncoming(_ query: MessageQuery, now: Date, until: Date) throws -> IncomingMessageRecord?
    @discardableResult func deleteIncoming(messageId: String) throws -> Bool
    func countMessages(direction: ConversationDirection) throws -> Int

    // MARK: Conversations and statuses
    /// Inserts the conversation (ignoring `id` and `messageStatuses`) and returns its new id.
    func insertConversation(_ conversation: Conversation) throws -> Int64
    /// Updates the scalar fields of a conversation (not its statuses).
    func updateConversation(_ conversation: Conversation) throws
    func conversation(id: Int64) throws -> Conversation?
    func conversation(messageId: String, direction: ConversationDirection) throws -> Conversation?
    func conversations(messageId: String) throws -> [Conversation]
    /// The conversation as committed, locked until the transaction ends, so that instances registering statuses
    /// on it at the same moment take turns (PostgreSQL: `SELECT … FOR UPDATE`; the embedded store's writers take
    /// turns anyway).
    func lockConversation(id: Int64) throws -> Conversation?
    /// As `lockConversation(id:)`, found by its message id and direction: one lookup instead of a read to learn
    /// the id and a locking read after it.
    func lockConversation(messageId: String, direction: ConversationDirection) throws -> Conversation?
    /// Takes the row lock of `lockConversation(messageId:direction:)`, if there is such a conversation, without
    /// reading it (the embedded store: nothing to do).
    func lockConversationRow(messageId: String, direction: ConversationDirection) throws
    func findConversations(_ query: ConversationQuery, page: PageRequest) throws -> Page<Conversation>
    @discardableResult func deleteConversation(id: Int64) throws -> Bool
    /// Unfinished conversations whose expiry is before `now`.
    func expiredConversations(now: Date, limit: Int) throws -> [Conversation]
    /// Appends a status row and returns it with its new id.
    func appendStatus(conversationId: Int64, status: ReceiptStatus, description: String?, rawReceipt: String?,
                      at: Date) throws -> MessageStatus
    /// Appends a status row and writes `conversation`'s scalar fields as `updateConversation` does, in one step
    /// where the store can (`StatusRegistrar` changes the conversation with every status it adds); returns the
    /// status with its new id. The default runs the two calls.
    func appendStatus(_ status: ReceiptStatus, description: String?, rawReceipt: String?, at: Date,
                      updating conversation: Conversation) throws -> MessageStatus
    func findStatuses(_ query: StatusQuery, page: PageRequest) throws -> Page<MessageStatus>

    // MARK: Status polling (channels whose statuses are fetched: DPV, DPF, DPI)
    /// Leases up to `limit` pollable outgoing conversations of `service` that are due — never polled, or next due
    /// at or before `now` — and not leased by another poller, to `owner` until `leaseUntil`; oldest due first.
    func claimPollableConversations(service: ServiceIdentifier, now: Date, limit: Int, leaseUntil: Date,
                                    owner: String) throws -> [Conversation]
    /// Ends `owner`'s lease of a polled conversation and sets when it is next due.
    func releasePolledConversation(id: Int64, owner: String, nextPollAt: Date) throws

    // MARK: Retention (`difi.move.nextmove.status-retention-days`)
    /// Deletes up to `limit` finished conversations last updated before `cutoff`, with their status history and
    /// queued status events, leaving any whose message is still stored (an `expired` outgoing message does not
    /// count); returns how many it deleted. An `expired` outgoing message goes with the last conversation of its
    /// messageId.
    func deleteFinishedConversations(lastUpdateBefore cutoff: Date, limit: Int) throws -> Int
    /// The `lastUpdate` of the oldest conversation kept (finished or not); nil when there is none.
    func oldestConversationUpdate() throws -> Date?

    // MARK: The status queue behind /api/statuses/peek
    func enqueueStatusEvent(statusId: Int64) throws
    func oldestQueuedStatus() throws -> MessageStatus?
    @discardableResult func removeQueuedStatus(statusId: Int64) throws -> Bool

    // MARK: Outbox: durable outgoing work with retries and leases
    func insertJob(_ job: OutboxJob) throws -> Int64
    /// Claims up to `limit` jobs due at `now` whose lease is free or expired, leasing them to `owner` until `leaseUntil`.
    func claimDueJobs(limit: Int, now: Date, leaseUntil: Date, owner: String) throws -> [OutboxJob]
    /// Extends the lease of a job this owner still holds; false when the lease was lost (expired and taken over).
    @discardableResult func renewLease(jobId: Int64, owner: String, until: Date) throws -> Bool
    @discardableResult func deleteJob(id: Int64) throws -> Bool
    /// Releases the lease and schedules the next attempt.
    func rescheduleJob(id: Int64, attempts: Int, nextAttemptAt: Date, lastError: String?) throws
    func jobs(messageId: String) throws -> [OutboxJob]
    func countJobs() throws -> Int
    func oldestJobCreatedAt() throws -> Date?

    // MARK: Webhook subscriptions and durable deliveries
    func insertSubscription(_ subscription: WebhookSubscription) throws -> Int64
    func subscription(id: Int64) throws -> WebhookSubscription?
    func updateSubscription(_ subscription: WebhookSubscription) throws
    @discardableResult func deleteSubscription(id: Int64) throws -> Bool
    func deleteAllSubscriptions() throws
    func allSubscriptions() throws -> [WebhookSubscription]
    func findSubscriptions(page: PageRequest) throws -> Page<WebhookSubscription>
    func insertDelivery(_ delivery: WebhookDelivery) throws -> Int64
    func claimDueDeliveries(limit: Int, now: Date, leaseUntil: Date, owner: String) throws -> [WebhookDelivery]
    @discardableResult func deleteDelivery(id: Int64) throws -> Bool
    func rescheduleDelivery(id: Int64, attempts: Int, nextAttemptAt: Date, lastError: String?) throws
}
