/// `standardBusinessDocumentHeader.manifest` (unused by the integration point, echoed).
public struct Manifest: Sendable, Hashable, Codable {
    @LenientInt public var numberOfItems: Int?
    public var manifestItem: [ManifestItem]?

    public init(numberOfItems: Int? = nil, manifestItem: [ManifestItem]? = nil) {
        self.numberOfItems = numberOfItems
        self.manifestItem = manifestItem
    }
}

public struct ManifestItem: Sendable, Hashable, Codable {
    public var mimeTypeQualifierCode: String?
    public var uniformResourceIdentifier: String?
    public var description: String?
    public var languageCode: String?

    public init(mimeTypeQualifierCode: String? = nil, uniformResourceIdentifier: String? = nil,
                description: String? = nil, languageCode: String? = nil) {
        self.mimeTypeQualifierCode = mimeTypeQualifierCode
        self.uniformResourceIdentifier = uniformResourceIdentifier
        self.description = description
        self.languageCode = languageCode
    }
}
