/// `arkivmelding` (DPO, DPF, DPV).
public struct ArkivmeldingMessage: Sendable, Hashable, Codable {
    @LenientString public var hoveddokument: String?
    /// 3 or 4.
    @LenientInt public var sikkerhetsnivaa: Int?
    public var dpv: DpvSettings?
    public var dpf: DpfSettings?

    public init(hoveddokument: String? = nil, sikkerhetsnivaa: Int? = nil, dpv: DpvSettings? = nil,
                dpf: DpfSettings? = nil) {
        self.hoveddokument = hoveddokument
        self.sikkerhetsnivaa = sikkerhetsnivaa
        self.dpv = dpv
        self.dpf = dpf
    }
}

/// Notification settings for DPV (`dpv` in `arkivmelding` and `digital_dpv`).
public struct DpvSettings: Sendable, Hashable, Codable {
    /// `VarselDPVUtenRevarsel` | `VarselDPVMedRevarsel`.
    @LenientString public var varselType: String?
    /// `Epost` | `SMS` | `EpostOgSMS`.
    @LenientString public var varselTransportType: String?
    @LenientString public var varselTekst: String?
    @LenientString public var taushetsbelagtVarselTekst: String?
    @LenientInt public var dagerTilSvarfrist: Int?

    public init(varselType: String? = nil, varselTransportType: String? = nil, varselTekst: String? = nil,
                taushetsbelagtVarselTekst: String? = nil, dagerTilSvarfrist: Int? = nil) {
        self.varselType = varselType
        self.varselTransportType = varselTransportType
        self.varselTekst = varselTekst
        self.taushetsbelagtVarselTekst = taushetsbelagtVarselTekst
        self.dagerTilSvarfrist = dagerTilSvarfrist
    }
}

/// DPF (KS SvarUt) settings of an `arkivmelding`.
public struct DpfSettings: Sendable, Hashable, Codable {
    @LenientString public var forsendelseType: String?

    public init(forsendelseType: String? = nil) {
        self.forsendelseType = forsendelseType
    }
}
