/// A webhook subscription (`nextmove-api.md` §6.1): where to push which events.
public struct WebhookSubscription: Sendable, Equatable, Codable {
    public var id: Int64?
    public var name: String?
    public var pushEndpoint: String?
    /// `all` or `messages`.
    public var resource: String?
    /// `all` or `status`.
    public var event: String?
    /// `status=FEIL,LEVETID_UTLOPT&direction=INCOMING&serviceIdentifier=DPO` — see `WebhookFilter`.
    public var filter: String?

    public init(id: Int64? = nil, name: String? = nil, pushEndpoint: String? = nil, resource: String? = nil,
                event: String? = nil, filter: String? = nil) {
        self.id = id
        self.name = name
        self.pushEndpoint = pushEndpoint
        self.resource = resource
        self.event = event
        self.filter = filter
    }
}
