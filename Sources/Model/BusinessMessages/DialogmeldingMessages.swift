/// `dialogmelding` (DPH, Norsk Helsenett).
public struct DialogmeldingMessage: Sendable, Hashable, Codable {
    @LenientString public var hoveddokument: String?
    public var pasient: Pasient?
    /// filename → metadata.
    @SortedMap public var metadataFiler: [String: DialogmeldingFileMetadata]?

    public init(hoveddokument: String? = nil, pasient: Pasient? = nil,
                metadataFiler: [String: DialogmeldingFileMetadata]? = nil) {
        self.hoveddokument = hoveddokument
        self.pasient = pasient
        self.metadataFiler = metadataFiler
    }
}

public struct Pasient: Sendable, Hashable, Codable {
    @LenientString public var fnr: String?
    @LenientString public var fornavn: String?
    @LenientString public var mellomnavn: String?
    @LenientString public var etternavn: String?

    public init(fnr: String? = nil, fornavn: String? = nil, mellomnavn: String? = nil, etternavn: String? = nil) {
        self.fnr = fnr
        self.fornavn = fornavn
        self.mellomnavn = mellomnavn
        self.etternavn = etternavn
    }
}

public struct DialogmeldingFileMetadata: Sendable, Hashable, Codable {
    /// An `Instant`: written in UTC (`…Z`).
    public var issueDate: OffsetDateTime?
    @LenientString public var description: String?

    public init(issueDate: OffsetDateTime? = nil, description: String? = nil) {
        self.issueDate = issueDate
        self.description = description
    }

    enum CodingKeys: String, CodingKey { case issueDate, description }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        issueDate = try c.decodeIfPresent(OffsetDateTime.self, forKey: .issueDate)?.utc
        description = try c.decodeLenientString(forKey: .description)
    }
}

/// `dialogmelding_kvittering` (DPH receipt; no `hoveddokument`).
public struct DialogmeldingKvitteringMessage: Sendable, Hashable, Codable {
    @LenientString public var relatedToMessageId: String?
    /// `OK` | `REJECTED` | `OK_ERROR_IN_MESSAGE_PART`.
    @LenientString public var status: String?
    public var messages: [KvitteringStatusMessage]?
    @LenientString public var rawReceipt: String?

    public init(relatedToMessageId: String? = nil, status: String? = nil, messages: [KvitteringStatusMessage]? = nil,
                rawReceipt: String? = nil) {
        self.relatedToMessageId = relatedToMessageId
        self.status = status
        self.messages = messages
        self.rawReceipt = rawReceipt
    }
}
