/// `standardBusinessDocumentHeader` (`nextmove-api.md` §3.2). Fields are optional because the client may omit
/// them; validation (`SBDValidator`) and defaults (`SBDDefaults`) decide what must be present.
public struct StandardBusinessDocumentHeader: Sendable, Hashable, Codable {
    @LenientString public var headerVersion: String?
    public var sender: [Partner]?
    public var receiver: [Partner]?
    public var documentIdentification: DocumentIdentification?
    public var manifest: Manifest?
    public var businessScope: BusinessScope?

    public init(headerVersion: String? = "1.0", sender: [Partner]? = nil, receiver: [Partner]? = nil,
                documentIdentification: DocumentIdentification? = nil, manifest: Manifest? = nil,
                businessScope: BusinessScope? = nil) {
        self.headerVersion = headerVersion
        self.sender = sender
        self.receiver = receiver
        self.documentIdentification = documentIdentification
        self.manifest = manifest
        self.businessScope = businessScope
    }
}
