/// `digital_dpv` (DPV, digital post to businesses).
public struct DigitalDpvMessage: Sendable, Hashable, Codable {
    public var tittel: String?
    public var sammendrag: String?
    public var innhold: String?
    public var dpv: DpvSettings?
    public var hoveddokument: String?

    public init(tittel: String? = nil, sammendrag: String? = nil, innhold: String? = nil, dpv: DpvSettings? = nil,
                hoveddokument: String? = nil) {
        self.tittel = tittel
        self.sammendrag = sammendrag
        self.innhold = innhold
        self.dpv = dpv
        self.hoveddokument = hoveddokument
    }
}
