import Model

extension WebhookSubscription {
    /// Whether this subscription wants a status event: resource `all`/`messages`, event `all`/`status`, and the
    /// filter matches (`nextmove-api.md` §6.2). A stored filter that no longer parses matches nothing.
    func wants(_ event: WebhookEvent.MessageStatusEvent) -> Bool {
        guard ["all", "messages"].contains(resource ?? "all"), ["all", "status"].contains(self.event ?? "all") else {
            return false
        }
        guard let filter = try? WebhookFilter(parsing: filter) else { return false }
        return filter.matches(status: event.status, serviceIdentifier: event.serviceIdentifier,
                              direction: event.direction)
    }
}
