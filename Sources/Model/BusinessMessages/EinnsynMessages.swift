/// `innsynskrav` (DPE).
public struct InnsynskravMessage: Sendable, Hashable, Codable {
    public var orgnr: String?
    public var epost: String?
    public var hoveddokument: String?

    public init(orgnr: String? = nil, epost: String? = nil, hoveddokument: String? = nil) {
        self.orgnr = orgnr
        self.epost = epost
        self.hoveddokument = hoveddokument
    }
}

/// `publisering` (DPE).
public struct PubliseringMessage: Sendable, Hashable, Codable {
    public var orgnr: String?
    public var hoveddokument: String?

    public init(orgnr: String? = nil, hoveddokument: String? = nil) {
        self.orgnr = orgnr
        self.hoveddokument = hoveddokument
    }
}

/// `einnsyn_kvittering` (DPE receipt).
public struct EinnsynKvitteringMessage: Sendable, Hashable, Codable {
    public var dokumentId: String?
    /// A JSON object encoded as a string.
    public var status: String?
    /// `innsynskrav` | `publisering`.
    public var referanseType: String?
    public var hoveddokument: String?

    public init(dokumentId: String? = nil, status: String? = nil, referanseType: String? = nil,
                hoveddokument: String? = nil) {
        self.dokumentId = dokumentId
        self.status = status
        self.referanseType = referanseType
        self.hoveddokument = hoveddokument
    }
}
