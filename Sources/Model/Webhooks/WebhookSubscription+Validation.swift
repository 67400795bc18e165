import Foundation

extension WebhookSubscription {
    /// The validation groups of `Subscription`: create requires name, pushEndpoint, resource and event and forbids
    /// an id; update takes any subset (§6.1).
    public enum ValidationGroup: Sendable {
        case create
        case update
    }

    public static let allowedResources = ["all", "messages"]
    public static let allowedEvents = ["all", "status"]

    /// Every violated constraint, in field order (paths are the bare property names: `event`, `pushEndpoint`, …).
    public func validate(for group: ValidationGroup) -> [ConstraintViolation] {
        var out: [ConstraintViolation] = []
        func add(_ code: String, _ message: String, _ path: String, _ value: JSONValue?, _ type: String = "java.lang.String") {
            out.append(ConstraintViolation(code: code, message: message, path: path, rejectedValue: value, fieldType: type))
        }
        if group == .create, let id {
            add("Null", ValidationMessage.null, "id", .int(id), "java.lang.Long")
        }
        if group == .create, name == nil { add("NotNull", ValidationMessage.notNull, "name", nil) }
        if let pushEndpoint {
            if !Self.isValidURL(pushEndpoint) { add("URL", ValidationMessage.url, "pushEndpoint", .string(pushEndpoint)) }
        } else if group == .create {
            add("NotNull", ValidationMessage.notNull, "pushEndpoint", nil)
        }
        for (path, value, allowed) in [("resource", resource, Self.allowedResources), ("event", event, Self.allowedEvents)] {
            if let value {
                if !allowed.contains(value) {
                    add("OneOf", ValidationMessage.oneOf(value, allowed: allowed), path, .string(value))
                }
            } else if group == .create {
                add("NotNull", ValidationMessage.notNull, path, nil)
            }
        }
        if let filter, !WebhookFilter.isValid(filter) {
            add("WebhookFilter", ValidationMessage.webhookFilter, "filter", .string(filter))
        }
        return out
    }

    /// Hibernate's `@URL`: a URL Java can parse (known protocol; http/https need a host).
    public static func isValidURL(_ text: String) -> Bool {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased() else { return false }
        switch scheme {
        case "http", "https": return !(url.host ?? "").isEmpty
        case "ftp", "file", "jar": return true
        default: return false
        }
    }

    /// Applies a partial update: every non-nil field of `update` replaces this one's (the id is kept).
    public func merged(with update: WebhookSubscription) -> WebhookSubscription {
        var copy = self
        if let v = update.name { copy.name = v }
        if let v = update.pushEndpoint { copy.pushEndpoint = v }
        if let v = update.resource { copy.resource = v }
        if let v = update.event { copy.event = v }
        if let v = update.filter { copy.filter = v }
        return copy
    }

    /// Whether a status event reaches this subscription (resource `all`/`messages`, event `all`/`status`, filter).
    public func accepts(status: ReceiptStatus, serviceIdentifier: ServiceIdentifier,
                        direction: ConversationDirection) -> Bool {
        guard resource == "all" || resource == "messages", event == "all" || event == "status" else { return false }
        guard let parsed = try? WebhookFilter(parsing: filter) else { return false }
        return parsed.matches(status: status, serviceIdentifier: serviceIdentifier, direction: direction)
    }
}
