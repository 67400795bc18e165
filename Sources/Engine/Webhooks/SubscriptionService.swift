import Foundation
import Logging
import Model
import Storage

/// `/api/subscriptions`: webhook subscriptions. Creating one, or changing its endpoint, pings the endpoint first and
/// stores nothing when the ping fails (DECISIONS 1).
public struct SubscriptionService: Sendable {
    let store: any MessageStore
    let pusher: any WebhookPusher
    let settings: EngineSettings
    let time: any TimeSource

    public init(store: any MessageStore, pusher: any WebhookPusher, settings: EngineSettings, time: any TimeSource) {
        self.store = store
        self.pusher = pusher
        self.settings = settings
        self.time = time
    }

    public func list(page: PageRequest) async throws -> Page<WebhookSubscription> {
        try await store.read { tx in try tx.findSubscriptions(page: page) }
    }

    public func subscription(id: Int64) async throws -> WebhookSubscription {
        guard let found = try await store.read({ tx in try tx.subscription(id: id) }) else {
            throw NextMoveError.subscriptionNotFound(id: id)
        }
        return found
    }

    public func create(_ subscription: WebhookSubscription) async throws -> WebhookSubscription {
        try Self.validate(subscription, for: .create)
        try await rejectDuplicate(of: subscription, excluding: nil)
        try await ping(subscription.pushEndpoint ?? "")
        let id = try await store.write { tx in
            if try Self.duplicate(of: subscription, excluding: nil, in: tx) {
                throw NextMoveError.subscriptionAlreadyExists
            }
            return try tx.insertSubscription(subscription)
        }
        var created = subscription
        created.id = id
        return created
    }

    /// Copies the non-null fields of `changes` onto the stored subscription.
    public func update(id: Int64, with changes: WebhookSubscription) async throws {
        try Self.validate(changes, for: .update)
        var updated = try await subscription(id: id)
        let endpointChanged = changes.pushEndpoint != nil && changes.pushEndpoint != updated.pushEndpoint
        if let name = changes.name { updated.name = name }
        if let endpoint = changes.pushEndpoint { updated.pushEndpoint = endpoint }
        if let resource = changes.resource { updated.resource = resource }
        if let event = changes.event { updated.event = event }
        if let filter = changes.filter { updated.filter = filter }
        try await rejectDuplicate(of: updated, excluding: id)
        if endpointChanged { try await ping(updated.pushEndpoint ?? "") }
        let final = updated
        try await store.write { tx in
            if try Self.duplicate(of: final, excluding: id, in: tx) {
                throw NextMoveError.subscriptionAlreadyExists
            }
            try tx.updateSubscription(final)
        }
    }

    public func delete(id: Int64) async throws {
        let existed = try await store.write { tx in try tx.deleteSubscription(id: id) }
        if !existed { throw NextMoveError.subscriptionNotFound(id: id) }
    }

    public func deleteAll() async throws {
        try await store.write { tx in try tx.deleteAllSubscriptions() }
    }

    private static func validate(_ subscription: WebhookSubscription, for group: WebhookSubscription.ValidationGroup) throws {
        let violations = subscription.validate(for: group)
        if !violations.isEmpty { throw NextMoveError.invalidBody(violations, objectName: "subscription") }
    }

    private func rejectDuplicate(of subscription: WebhookSubscription, excluding id: Int64?) async throws {
        let duplicate = try await store.read { tx in try Self.duplicate(of: subscription, excluding: id, in: tx) }
        if duplicate { throw NextMoveError.subscriptionAlreadyExists }
    }

    private static func duplicate(of subscription: WebhookSubscription, excluding id: Int64?,
                                  in tx: any StoreTransaction) throws -> Bool {
        try tx.allSubscriptions().contains { other in
            other.id != id && other.name == subscription.name && other.pushEndpoint == subscription.pushEndpoint
        }
    }

    private func ping(_ endpoint: String) async throws {
        let body = String(decoding: WebhookEvent.ping(createdTs: time.now).encodedJSON(), as: UTF8.self)
        do {
            try await pusher.push(json: body, to: endpoint, timeout: settings.webhookTimeout)
        } catch {
            throw NextMoveError.webhookPingFailed("\(error)")
        }
    }
}
