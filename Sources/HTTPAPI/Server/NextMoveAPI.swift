import Engine
import Hummingbird
import Logging

/// The HTTP face of the integration point: the NextMove REST API and `/manage`.
public struct NextMoveAPI: Sendable {
    public struct Security: Sendable {
        public var enabled: Bool
        public var username: String
        public var password: String

        public init(enabled: Bool, username: String, password: String) {
            self.enabled = enabled
            self.username = username
            self.password = password
        }
    }

    public var outgoing: OutgoingMessageService
    public var incoming: IncomingMessageService
    public var statuses: StatusService
    public var conversations: ConversationService
    public var subscriptions: SubscriptionService
    public var health: HealthService
    public var info: [String: String]
    public var security: Security
    public var time: any TimeSource
    /// Answers `/api/capabilities`; nil leaves the route out.
    public var capabilities: (any CapabilityLookup)?
    /// `/manage/prometheus`: renders the metrics in the Prometheus text format. When set, every request is also
    /// counted and timed by route and status (Hummingbird's metrics middleware). Nil: no metrics endpoint.
    public var prometheus: (@Sendable () async -> String)?
    /// The admin web pages (`/`, `/conversations`); nil: none.
    public var admin: AdminPages?
    /// The BEST/EDU SOAP endpoint (`/noarkExchange`); nil leaves it out.
    public var noarkExchange: NoarkExchangeEndpoint?

    public init(outgoing: OutgoingMessageService, incoming: IncomingMessageService, statuses: StatusService,
                conversations: ConversationService, subscriptions: SubscriptionService, health: HealthService,
                info: [String: String], security: Security, time: any TimeSource,
                capabilities: (any CapabilityLookup)? = nil) {
        self.outgoing = outgoing
        self.incoming = incoming
        self.statuses = statuses
        self.conversations = conversations
        self.subscriptions = subscriptions
        self.health = health
        self.info = info
        self.security = security
        self.time = time
        self.capabilities = capabilities
    }

    /// The router with every route and middleware.
    public func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        if prometheus != nil { router.add(middleware: MetricsMiddleware()) }
        router.add(middleware: ErrorMiddleware(time: time))
        if security.enabled {
            router.add(middleware: BasicAuthMiddleware(username: security.username, password: security.password, time: time))
        }
        ManageRoutes(health: health, info: info, prometheus: prometheus).add(to: router)
        OutgoingMessageRoutes(messages: outgoing).add(to: router)
        IncomingMessageRoutes(messages: incoming).add(to: router)
        StatusRoutes(statuses: statuses).add(to: router)
        ConversationRoutes(conversations: conversations).add(to: router)
        SubscriptionRoutes(subscriptions: subscriptions).add(to: router)
        if let capabilities { CapabilityRoutes(capabilities: capabilities).add(to: router) }
        if let admin {
            AdminRoutes(pages: admin, conversations: conversations, health: health, time: time).add(to: router)
        }
        if let noarkExchange {
            NoarkExchangeRoutes(service: noarkExchange.service, maximumRequestSize: noarkExchange.maximumRequestSize,
                                scheme: noarkExchange.scheme).add(to: router)
        }
        OpenAPIRoutes().add(to: router)
        return router
    }
}

/// What `/noarkExchange` needs: the use case and how much of a request it reads.
public struct NoarkExchangeEndpoint: Sendable {
    public var service: NoarkExchangeService
    /// The largest SOAP request read (the files travel base64-encoded inside it): 256 MB by default.
    public var maximumRequestSize: Int
    /// `https` when the API is served with TLS: the scheme of the address in the WSDL.
    public var scheme: String

    public init(service: NoarkExchangeService, maximumRequestSize: Int = 256 << 20, scheme: String = "http") {
        self.service = service
        self.maximumRequestSize = maximumRequestSize
        self.scheme = scheme
    }
}
