/// `innsynskrav` (DPE).
public struct InnsynskravMessage: Sendable, Hashable, Codable {
    @LenientString public var orgnr: String?
    @LenientString public var epost: String?
    @LenientString public var hoveddokument: String?

    public init(orgnr: String? = nil, epost: String? = nil, hoveddokument: String? = nil) {
        self.orgnr = orgnr
        self.epost = epost
        self.hoveddokument = hoveddokument
    }
}

/// `publisering` (DPE).
public struct PubliseringMessage: Sendable, Hashable, Codable {
    @LenientString public var orgnr: String?
    @LenientString public var hoveddokument: String?

    public init(orgnr: String? = nil, hoveddokument: String? = nil) {
        self.orgnr = orgnr
        self.hoveddokument = hoveddokument
    }
}

/// `einnsyn_kvittering` (DPE receipt).
public struct EinnsynKvitteringMessage: Sendable, Hashable, Codable {
    @LenientString public var dokumentId: String?
    /// A JSON object encoded as a string.
    @LenientString public var status: String?
    /// `innsynskrav` | `publisering`.
    @LenientString public var referanseType: String?
    @LenientString public var hoveddokument: String?

    public init(dokumentId: String? = nil, status: String? = nil, referanseType: String? = nil,
                hoveddokument: String? = nil) {
        self.dokumentId = dokumentId
        self.status = status
        self.referanseType = referanseType
        self.hoveddokument = hoveddokument
    }
}
