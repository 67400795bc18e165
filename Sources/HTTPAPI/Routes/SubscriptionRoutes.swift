import Engine
import Foundation
import Hummingbird
import Model

/// `/api/subscriptions` (`nextmove-api.md` §2.6, §6).
struct SubscriptionRoutes {
    let subscriptions: SubscriptionService

    func add(to router: Router<some RequestContext>) {
        let group = router.group("api/subscriptions")
        group.get { request, _ in
            JSONResponse.make(try await subscriptions.list(page: try QueryParameters(request).pageRequest()))
        }
        group.post { request, context in
            let body = try await JSONBody.decode(WebhookSubscription.self, from: request, context: context)
            return JSONResponse.make(try await subscriptions.create(body))
        }
        group.delete { _, _ in
            try await subscriptions.deleteAll()
            return JSONResponse.empty()
        }
        group.get("{id}") { _, context in
            JSONResponse.make(try await subscriptions.subscription(id: try Self.id(context)))
        }
        group.put("{id}") { request, context in
            let body = try await JSONBody.decode(WebhookSubscription.self, from: request, context: context)
            try await subscriptions.update(id: try Self.id(context), with: body)
            return JSONResponse.empty()
        }
        group.delete("{id}") { _, context in
            try await subscriptions.delete(id: try Self.id(context))
            return JSONResponse.empty()
        }
    }

    static func id(_ context: some RequestContext) throws -> Int64 {
        let text = try context.parameters.require("id")
        guard let id = Int64(text) else {
            throw InvalidRequest("The subscription id must be a whole number, but was '\(text)'.")
        }
        return id
    }
}
