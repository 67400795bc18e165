import Foundation
import GRDB

/// The outbox and webhook deliveries: durable work claimed under a lease, retried until done.
extension SQLiteTransaction {
    func insertJob(_ job: OutboxJob) throws -> Int64 {
        try db.cachedStatement(sql: """
            INSERT INTO outbox_job (kind, message_id, payload, attempts, created_at, next_attempt_at, lease_owner,
                lease_until, last_error)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [
                job.kind.rawValue, job.messageId, job.payload, job.attempts, job.createdAt.microsecondsSince1970,
                job.nextAttemptAt.microsecondsSince1970, job.leaseOwner, job.leaseUntil.stored, job.lastError,
            ])
        return db.lastInsertedRowID
    }

    func claimDueJobs(limit: Int, now: Date, leaseUntil: Date, owner: String) throws -> [OutboxJob] {
        try claim(from: "outbox_job", limit: limit, now: now, leaseUntil: leaseUntil, owner: owner,
                  oneAtATimePerMessageAndKind: true)
            .map(OutboxJob.init(row:))
    }

    func renewLease(jobId: Int64, owner: String, until: Date) throws -> Bool {
        try db.cachedStatement(sql: "UPDATE outbox_job SET lease_until = ? WHERE id = ? AND lease_owner = ?")
            .execute(arguments: [until.microsecondsSince1970, jobId, owner])
        return db.changesCount > 0
    }

    func deleteJob(id: Int64) throws -> Bool {
        try db.cachedStatement(sql: "DELETE FROM outbox_job WHERE id = ?").execute(arguments: [id])
        return db.changesCount > 0
    }

    func rescheduleJob(id: Int64, attempts: Int, nextAttemptAt: Date, lastError: String?) throws {
        try reschedule(in: "outbox_job", id: id, attempts: attempts, nextAttemptAt: nextAttemptAt,
                       lastError: lastError)
    }

    func jobs(messageId: String) throws -> [OutboxJob] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM outbox_job WHERE message_id = ? ORDER BY id"),
                         arguments: [messageId])
            .map(OutboxJob.init(row:))
    }

    func countJobs() throws -> Int {
        try Int.fetchOne(db.cachedStatement(sql: "SELECT COUNT(*) FROM outbox_job")) ?? 0
    }

    func oldestJobCreatedAt() throws -> Date? {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT MIN(created_at) FROM outbox_job"))
            .map(Date.init(microsecondsSince1970:))
    }

    // MARK: Webhook subscriptions

    func insertSubscription(_ subscription: WebhookSubscription) throws -> Int64 {
        try db.cachedStatement(sql: """
            INSERT INTO webhook_subscription (name, push_endpoint, resource, event, filter) VALUES (?, ?, ?, ?, ?)
            """).execute(arguments: [subscription.name, subscription.pushEndpoint, subscription.resource,
                             subscription.event, subscription.filter])
        return db.lastInsertedRowID
    }

    func subscription(id: Int64) throws -> WebhookSubscription? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM webhook_subscription WHERE id = ?"), arguments: [id])
            .map(WebhookSubscription.init(row:))
    }

    func updateSubscription(_ subscription: WebhookSubscription) throws {
        guard let id = subscription.id else {
            throw StoreError.database("cannot update a webhook subscription that has no id")
        }
        try db.cachedStatement(sql: """
            UPDATE webhook_subscription SET name = ?, push_endpoint = ?, resource = ?, event = ?, filter = ?
            WHERE id = ?
            """).execute(arguments: [subscription.name, subscription.pushEndpoint, subscription.resource,
                             subscription.event, subscription.filter, id])
    }

    func deleteSubscription(id: Int64) throws -> Bool {
        try db.cachedStatement(sql: "DELETE FROM webhook_delivery WHERE subscription_id = ?").execute(arguments: [id])
        try db.cachedStatement(sql: "DELETE FROM webhook_subscription WHERE id = ?").execute(arguments: [id])
        return db.changesCount > 0
    }

    func deleteAllSubscriptions() throws {
        try db.execute(sql: "DELETE FROM webhook_delivery; DELETE FROM webhook_subscription")
    }

    func allSubscriptions() throws -> [WebhookSubscription] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM webhook_subscription ORDER BY id"))
            .map(WebhookSubscription.init(row:))
    }

    func findSubscriptions(page request: PageRequest) throws -> Page<WebhookSubscription> {
        try page(select: "*", from: "webhook_subscription", SQLFilter(), request, sortable: .subscriptions,
                 decode: WebhookSubscription.init(row:))
    }

    // MARK: Webhook deliveries

    func insertDelivery(_ delivery: WebhookDelivery) throws -> Int64 {
        try db.cachedStatement(sql: """
            INSERT INTO webhook_delivery (subscription_id, payload, attempts, created_at, next_attempt_at,
                lease_owner, lease_until, last_error)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [
                delivery.subscriptionId, delivery.payload, delivery.attempts,
                delivery.createdAt.microsecondsSince1970, delivery.nextAttemptAt.microsecondsSince1970,
                delivery.leaseOwner, delivery.leaseUntil.stored, delivery.lastError,
            ])
        return db.lastInsertedRowID
    }

    func claimDueDeliveries(limit: Int, now: Date, leaseUntil: Date, owner: String) throws -> [WebhookDelivery] {
        try claim(from: "webhook_delivery", limit: limit, now: now, leaseUntil: leaseUntil, owner: owner)
            .map(WebhookDelivery.init(row:))
    }

    func deleteDelivery(id: Int64) throws -> Bool {
        try db.cachedStatement(sql: "DELETE FROM webhook_delivery WHERE id = ?").execute(arguments: [id])
        return db.changesCount > 0
    }

    func rescheduleDelivery(id: Int64, attempts: Int, nextAttemptAt: Date, lastError: String?) throws {
        try reschedule(in: "webhook_delivery", id: id, attempts: attempts, nextAttemptAt: nextAttemptAt,
                       lastError: lastError)
    }

    // MARK: Leases

    /// Leases up to `limit` due rows of `table` whose lease is free or expired, oldest due first.
    ///
    /// Safe against concurrent claimers because SQLite runs one write transaction at a time: the select and the
    /// update below see no other writer in between. (A server backend needs `FOR UPDATE SKIP LOCKED` here.)
    ///
    /// With `oneAtATimePerMessageAndKind`, a message's jobs of one kind run one at a time, in the order queued
    /// (`OutboxOrder`).
    private func claim(from table: String, limit: Int, now: Date, leaseUntil: Date, owner: String,
                       oneAtATimePerMessageAndKind: Bool = false) throws -> [Row] {
        let now = now.microsecondsSince1970
        let inOrder = oneAtATimePerMessageAndKind ? OutboxOrder.noOlderJobOfItsMessageAndKind : ""
        let ids = try Int64.fetchAll(db.cachedStatement(sql: """
            SELECT id FROM \(table) j
            WHERE next_attempt_at <= ? AND (lease_until IS NULL OR lease_until <= ?)\(inOrder)
            ORDER BY next_attempt_at, id LIMIT ?
            """), arguments: [now, now, max(limit, 0)])
        guard !ids.isEmpty else { return [] }
        var filter = SQLFilter()
        filter.any("id", in: ids)
        // Two tables and at most `limit` ids: few enough different statements to keep them prepared.
        try db.cachedStatement(sql: "UPDATE \(table) SET lease_owner = ?, lease_until = ? \(filter.whereClause)")
            .execute(arguments: [owner, leaseUntil.microsecondsSince1970] + filter.arguments)
        let select = "SELECT * FROM \(table) \(filter.whereClause) ORDER BY next_attempt_at, id"
        return try Row.fetchAll(db.cachedStatement(sql: select), arguments: filter.arguments)
    }

    private func reschedule(in table: String, id: Int64, attempts: Int, nextAttemptAt: Date,
                            lastError: String?) throws {
        try db.execute(sql: """
            UPDATE \(table) SET attempts = ?, next_attempt_at = ?, last_error = ?, lease_owner = NULL,
                lease_until = NULL
            WHERE id = ?
            """, arguments: [attempts, nextAttemptAt.microsecondsSince1970, lastError, id])
    }
}

extension OutboxJob {
    init(row: Row) throws {
        self.init(id: row["id"], kind: try row.named("kind"), messageId: row["message_id"], payload: row["payload"],
                  attempts: row["attempts"], createdAt: row.date("created_at"),
                  nextAttemptAt: row.date("next_attempt_at"), leaseOwner: row["lease_owner"],
                  leaseUntil: row.optionalDate("lease_until"), lastError: row["last_error"])
    }
}

extension WebhookDelivery {
    init(row: Row) {
        self.init(id: row["id"], subscriptionId: row["subscription_id"], payload: row["payload"],
                  attempts: row["attempts"], createdAt: row.date("created_at"),
                  nextAttemptAt: row.date("next_attempt_at"), leaseOwner: row["lease_owner"],
                  leaseUntil: row.optionalDate("lease_until"), lastError: row["last_error"])
    }
}

extension WebhookSubscription {
    init(row: Row) {
        self.init(id: row["id"], name: row["name"], pushEndpoint: row["push_endpoint"], resource: row["resource"],
                  event: row["event"], filter: row["filter"])
    }
}
