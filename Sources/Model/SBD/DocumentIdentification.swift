/// `standardBusinessDocumentHeader.documentIdentification`.
public struct DocumentIdentification: Sendable, Hashable, Codable {
    /// The document type identifier, e.g. `urn:no:difi:arkivmelding:xsd::arkivmelding`; must end with `::<type>`.
    @LenientString public var standard: String?
    @LenientString public var typeVersion: String?
    /// The messageId (a UUID).
    @LenientString public var instanceIdentifier: String?
    /// The business message type name as written (see `MessageType`).
    @LenientString public var type: String?
    @LenientBool public var multipleType: Bool?
    public var creationDateAndTime: OffsetDateTime?

    public init(standard: String? = nil, typeVersion: String? = nil, instanceIdentifier: String? = nil,
                type: String? = nil, multipleType: Bool? = nil, creationDateAndTime: OffsetDateTime? = nil) {
        self.standard = standard
        self.typeVersion = typeVersion
        self.instanceIdentifier = instanceIdentifier
        self.type = type
        self.multipleType = multipleType
        self.creationDateAndTime = creationDateAndTime
    }
}
