/// `scopeInformation[]` entry.
public struct CorrelationInformation: Sendable, Hashable, Codable {
    public var requestingDocumentCreationDateTime: OffsetDateTime?
    @LenientString public var requestingDocumentInstanceIdentifier: String?
    public var expectedResponseDateTime: OffsetDateTime?

    public init(requestingDocumentCreationDateTime: OffsetDateTime? = nil,
                requestingDocumentInstanceIdentifier: String? = nil, expectedResponseDateTime: OffsetDateTime? = nil) {
        self.requestingDocumentCreationDateTime = requestingDocumentCreationDateTime
        self.requestingDocumentInstanceIdentifier = requestingDocumentInstanceIdentifier
        self.expectedResponseDateTime = expectedResponseDateTime
    }
}
