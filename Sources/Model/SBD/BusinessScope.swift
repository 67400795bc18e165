/// `standardBusinessDocumentHeader.businessScope`.
public struct BusinessScope: Sendable, Hashable, Codable {
    public var scope: [Scope]?

    public init(scope: [Scope]? = []) {
        self.scope = scope
    }
}
