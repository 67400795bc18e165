import Foundation
import Logging
import Model
import ServiceLifecycle
import Storage

/// Pushes queued webhook events to their subscribers, retrying with back-off until delivered or given up.
///
/// Deliveries are rows written in the same transaction as the status they announce, so a restart loses none; each
/// row is leased while it is pushed, so two instances never push the same one at once.
public final class WebhookDispatcher: Service, Sendable {
    let store: any MessageStore
    let pusher: any WebhookPusher
    let settings: EngineSettings
    let time: any TimeSource
    let logger: Logger
    let wakeUp: WakeUpSignal
    let owner: String
    /// First retry after this many seconds, doubling up to an hour.
    let firstRetryDelay: TimeInterval = 10

    public init(store: any MessageStore, pusher: any WebhookPusher, settings: EngineSettings, time: any TimeSource,
                logger: Logger, wakeUp: WakeUpSignal, owner: String = "webhooks-\(UUID().uuidString.prefix(8))") {
        self.store = store
        self.pusher = pusher
        self.settings = settings
        self.time = time
        self.logger = logger
        self.wakeUp = wakeUp
        self.owner = owner
    }

    public func run() async throws {
        await BackgroundLoop.run(name: "Webhook delivery", idle: 2, wakeUp: wakeUp, logger: logger) {
            try await self.runOnce()
        }
    }

    /// Pushes the deliveries due now; returns how many it tried.
    @discardableResult
    public func runOnce() async throws -> Int {
        let now = time.now
        let owner = self.owner
        let lease = now.addingTimeInterval(settings.webhookTimeout * 3 + 30)
        let due = try await store.write { tx in
            try tx.claimDueDeliveries(limit: 20, now: now, leaseUntil: lease, owner: owner)
        }
        await withTaskGroup(of: Void.self) { group in
            for delivery in due { group.addTask { await self.push(delivery) } }
        }
        return due.count
    }

    private func push(_ delivery: WebhookDelivery) async {
        let subscriptionId = delivery.subscriptionId
        guard let subscription = try? await store.read({ tx in try tx.subscription(id: subscriptionId) }),
              let endpoint = subscription.pushEndpoint else {
            _ = try? await store.write { tx in try tx.deleteDelivery(id: delivery.id) }
            return
        }
        do {
            try await pusher.push(json: delivery.payload, to: endpoint, timeout: settings.webhookTimeout)
            _ = try await store.write { tx in try tx.deleteDelivery(id: delivery.id) }
        } catch {
            await reschedule(delivery, error: "\(error)", endpoint: endpoint)
        }
    }

    private func reschedule(_ delivery: WebhookDelivery, error: String, endpoint: String) async {
        let now = time.now
        let attempts = delivery.attempts + 1
        let delay = min(firstRetryDelay * pow(2, Double(attempts - 1)), 3600)
        let next = now.addingTimeInterval(delay)
        do {
            if next > delivery.createdAt.addingTimeInterval(settings.webhookGiveUpAfter) {
                logger.error("Gave up pushing a webhook event to \(endpoint) after \(attempts) attempts: \(error)")
                _ = try await store.write { tx in try tx.deleteDelivery(id: delivery.id) }
            } else {
                logger.warning("Webhook push to \(endpoint) failed (attempt \(attempts)): \(error). Retrying at \(OsloTime.format(next)).")
                try await store.write { tx in
                    try tx.rescheduleDelivery(id: delivery.id, attempts: attempts, nextAttemptAt: next, lastError: error)
                }
            }
        } catch {
            logger.error("Could not record a failed webhook push: \(error)")
        }
    }
}
