/// `digital_dpv` (DPV, digital post to businesses).
public struct DigitalDpvMessage: Sendable, Hashable, Codable {
    @LenientString public var tittel: String?
    @LenientString public var sammendrag: String?
    @LenientString public var innhold: String?
    public var dpv: DpvSettings?
    @LenientString public var hoveddokument: String?

    public init(tittel: String? = nil, sammendrag: String? = nil, innhold: String? = nil, dpv: DpvSettings? = nil,
                hoveddokument: String? = nil) {
        self.tittel = tittel
        self.sammendrag = sammendrag
        self.innhold = innhold
        self.dpv = dpv
        self.hoveddokument = hoveddokument
    }
}
