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
    @LenientString public var mimeTypeQualifierCode: String?
    @LenientString public var uniformResourceIdentifier: String?
    @LenientString public var description: String?
    @LenientString public var languageCode: String?

    public init(mimeTypeQualifierCode: String? = nil, uniformResourceIdentifier: String? = nil,
                description: String? = nil, languageCode: String? = nil) {
        self.mimeTypeQualifierCode = mimeTypeQualifierCode
        self.uniformResourceIdentifier = uniformResourceIdentifier
        self.description = description
        self.languageCode = languageCode
    }
}
