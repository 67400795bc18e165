import Foundation
import PostgresNIO

/// The outbox and webhook deliveries: durable work claimed under a lease, retried until done.
extension PostgresTransaction {
    func insertJob(_ job: OutboxJob) throws -> Int64 {
        try inserting("outbox job for message \(job.messageId)", """
            INSERT INTO outbox_job (kind, message_id, payload, attempts, created_at, next_attempt_at, lease_owner,
                lease_until, last_error)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            RETURNING id
            """, [
                job.kind.rawValue, job.messageId, job.payload, job.attempts, job.createdAt.microsecondsSince1970,
                job.nextAttemptAt.microsecondsSince1970, job.leaseOwner, job.leaseUntil?.microsecondsSince1970,
                job.lastError,
            ])
    }

    func claimDueJobs(limit: Int, now: Date, leaseUntil: Date, owner: String) throws -> [OutboxJob] {
        try claim(from: "outbox_job", limit: limit, now: now, leaseUntil: leaseUntil, owner: owner,
                  oneAtATimePerMessageAndKind: true)
            .map(OutboxJob.init(row:))
            .sorted { ($0.nextAttemptAt, $0.id) < ($1.nextAttemptAt, $1.id) }
    }

    func renewLease(jobId: Int64, owner: String, until: Date) throws -> Bool {
        try session.changes("UPDATE outbox_job SET lease_until = ? WHERE id = ? AND lease_owner = ?",
                            [until.microsecondsSince1970, jobId, owner]) > 0
    }

    func deleteJob(id: Int64) throws -> Bool {
        try session.changes("DELETE FROM outbox_job WHERE id = ?", [id]) > 0
    }

    func rescheduleJob(id: Int64, attempts: Int, nextAttemptAt: Date, lastError: String?) throws {
        try reschedule(in: "outbox_job", id: id, attempts: attempts, nextAttemptAt: nextAttemptAt,
                       lastError: lastError)
    }

    func jobs(messageId: String) throws -> [OutboxJob] {
        try session.rows("SELECT * FROM outbox_job WHERE message_id = ? ORDER BY id", [messageId])
            .map(OutboxJob.init(row:))
    }

    func countJobs() throws -> Int {
        Int(try session.integer("SELECT COUNT(*) FROM outbox_job") ?? 0)
    }

    func oldestJobCreatedAt() throws -> Date? {
        try session.integer("SELECT MIN(created_at) FROM outbox_job").map(Date.init(microsecondsSince1970:))
    }

    // MARK: Webhook subscriptions

    func insertSubscription(_ subscription: WebhookSubscription) throws -> Int64 {
        session.noSubscriptionsSeen = false
        return try inserting("webhook subscription \(subscription.name ?? "")", """
            INSERT INTO webhook_subscription (name, push_endpoint, resource, event, filter) VALUES (?, ?, ?, ?, ?)
            RETURNING id
            """, [subscription.name, subscription.pushEndpoint, subscription.resource, subscription.event,
                  subscription.filter])
    }

    func subscription(id: Int64) throws -> WebhookSubscription? {
        try session.row("SELECT * FROM webhook_subscription WHERE id = ?", [id]).map(WebhookSubscription.init(row:))
    }

    func updateSubscription(_ subscription: WebhookSubscription) throws {
        guard let id = subscription.id else {
            throw StoreError.database("cannot update a webhook subscription that has no id")
        }
        try session.execute("""
            UPDATE webhook_subscription SET name = ?, push_endpoint = ?, resource = ?, event = ?, filter = ?
            WHERE id = ?
            """, [subscription.name, subscription.pushEndpoint, subscription.resource, subscription.event,
                  subscription.filter, id])
    }

    func deleteSubscription(id: Int64) throws -> Bool {
        try session.execute("DELETE FROM webhook_delivery WHERE subscription_id = ?", [id])
        return try session.changes("DELETE FROM webhook_subscription WHERE id = ?", [id]) > 0
    }

    func deleteAllSubscriptions() throws {
        try session.execute("DELETE FROM webhook_delivery")
        try session.execute("DELETE FROM webhook_subscription")
    }

    func allSubscriptions() throws -> [WebhookSubscription] {
        if session.noSubscriptionsSeen {
            session.noSubscriptionsSeen = false
            return []
        }
        return try session.rows("SELECT * FROM webhook_subscription ORDER BY id").map(WebhookSubscription.init(row:))
    }

    func findSubscriptions(page request: PageRequest) throws -> Page<WebhookSubscription> {
        try page(select: "*", from: "webhook_subscription", PostgresFilter(), request, sortable: .subscriptions,
                 decode: WebhookSubscription.init(row:))
    }

    // MARK: Webhook deliveries

    func insertDelivery(_ delivery: WebhookDelivery) throws -> Int64 {
        try inserting("webhook delivery to subscription \(delivery.subscriptionId)", """
            INSERT INTO webhook_delivery (subscription_id, payload, attempts, created_at, next_attempt_at,
                lease_owner, lease_until, last_error)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            RETURNING id
            """, [
                delivery.subscriptionId, delivery.payload, delivery.attempts,
                delivery.createdAt.microsecondsSince1970, delivery.nextAttemptAt.microsecondsSince1970,
                delivery.leaseOwner, delivery.leaseUntil?.microsecondsSince1970, delivery.lastError,
            ])
    }

    func claimDueDeliveries(limit: Int, now: Date, leaseUntil: Date, owner: String) throws -> [WebhookDelivery] {
        try claim(from: "webhook_delivery", limit: limit, now: now, leaseUntil: leaseUntil, owner: owner)
            .map(WebhookDelivery.init(row:))
            .sorted { ($0.nextAttemptAt, $0.id) < ($1.nextAttemptAt, $1.id) }
    }

    func deleteDelivery(id: Int64) throws -> Bool {
        try session.changes("DELETE FROM webhook_delivery WHERE id = ?", [id]) > 0
    }

    func rescheduleDelivery(id: Int64, attempts: Int, nextAttemptAt: Date, lastError: String?) throws {
        try reschedule(in: "webhook_delivery", id: id, attempts: attempts, nextAttemptAt: nextAttemptAt,
                       lastError: lastError)
    }

    // MARK: Leases

    /// Leases up to `limit` due rows of `table` whose lease is free or expired, oldest due first.
    ///
    /// `FOR UPDATE SKIP LOCKED` makes concurrent claimers (other transactions, other instances) pass over rows
    /// another claimer is taking; a row locked and leased meanwhile is re-checked against the lease condition
    /// before it is returned, so no row is leased twice.
    ///
    /// With `oneAtATimePerMessageAndKind`, a message's jobs of one kind run one at a time, in the order queued
    /// (`OutboxOrder`).
    private func claim(from table: String, limit: Int, now: Date, leaseUntil: Date, owner: String,
                       oneAtATimePerMessageAndKind: Bool = false) throws -> [PostgresRandomAccessRow] {
        let now = now.microsecondsSince1970
        let inOrder = oneAtATimePerMessageAndKind ? OutboxOrder.noOlderJobOfItsMessageAndKind : ""
        return try session.rows("""
            WITH due AS (
                SELECT id FROM \(table) j
                WHERE next_attempt_at <= ? AND (lease_until IS NULL OR lease_until <= ?)\(inOrder)
                ORDER BY next_attempt_at, id LIMIT ?
                FOR UPDATE SKIP LOCKED)
            UPDATE \(table) t SET lease_owner = ?, lease_until = ? FROM due WHERE t.id = due.id
            RETURNING t.*
            """, [now, now, max(limit, 0), owner, leaseUntil.microsecondsSince1970])
    }

    private func reschedule(in table: String, id: Int64, attempts: Int, nextAttemptAt: Date,
                            lastError: String?) throws {
        try session.execute("""
            UPDATE \(table) SET attempts = ?, next_attempt_at = ?, last_error = ?, lease_owner = NULL,
                lease_until = NULL
            WHERE id = ?
            """, [attempts, nextAttemptAt.microsecondsSince1970, lastError, id])
    }
}

extension OutboxJob {
    init(row: PostgresRandomAccessRow) throws {
        self.init(id: try row.int64("id"), kind: try row.named("kind"), messageId: try row.string("message_id"),
                  payload: try row.optionalString("payload"), attempts: try row.int("attempts"),
                  createdAt: try row.date("created_at"), nextAttemptAt: try row.date("next_attempt_at"),
                  leaseOwner: try row.optionalString("lease_owner"), leaseUntil: try row.optionalDate("lease_until"),
                  lastError: try row.optionalString("last_error"))
    }
}

extension WebhookDelivery {
    init(row: PostgresRandomAccessRow) throws {
        self.init(id: try row.int64("id"), subscriptionId: try row.int64("subscription_id"),
                  payload: try row.string("payload"), attempts: try row.int("attempts"),
                  createdAt: try row.date("created_at"), nextAttemptAt: try row.date("next_attempt_at"),
                  leaseOwner: try row.optionalString("lease_owner"), leaseUntil: try row.optionalDate("lease_until"),
                  lastError: try row.optionalString("last_error"))
    }
}

extension WebhookSubscription {
    init(row: PostgresRandomAccessRow) throws {
        self.init(id: try row.int64("id"), name: try row.optionalString("name"),
                  pushEndpoint: try row.optionalString("push_endpoint"), resource: try row.optionalString("resource"),
                  event: try row.optionalString("event"), filter: try row.optionalString("filter"))
    }
}
