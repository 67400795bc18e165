/// `digital` (DPI, digital post to citizens).
public struct DigitalMessage: Sendable, Hashable, Codable {
    @LenientInt public var sikkerhetsnivaa: Int?
    @LenientString public var hoveddokument: String?
    @LenientString public var avsenderId: String?
    @LenientString public var fakturaReferanse: String?
    @LenientString public var tittel: String?
    /// e.g. `NO`, `en`.
    @LenientString public var spraak: String?
    public var digitalPostInfo: DigitalPostInfo?
    public var varsler: DigitalVarsler?
    /// attachment filename → metadata filename.
    @SortedMap public var metadataFiler: [String: String]?

    public init(sikkerhetsnivaa: Int? = nil, hoveddokument: String? = nil, avsenderId: String? = nil,
                fakturaReferanse: String? = nil, tittel: String? = nil, spraak: String? = nil,
                digitalPostInfo: DigitalPostInfo? = nil, varsler: DigitalVarsler? = nil,
                metadataFiler: [String: String]? = nil) {
        self.sikkerhetsnivaa = sikkerhetsnivaa
        self.hoveddokument = hoveddokument
        self.avsenderId = avsenderId
        self.fakturaReferanse = fakturaReferanse
        self.tittel = tittel
        self.spraak = spraak
        self.digitalPostInfo = digitalPostInfo
        self.varsler = varsler
        self.metadataFiler = metadataFiler
    }
}

public struct DigitalPostInfo: Sendable, Hashable, Codable {
    public var virkningsdato: LocalDate?
    @LenientBool public var aapningskvittering: Bool?

    public init(virkningsdato: LocalDate? = nil, aapningskvittering: Bool? = nil) {
        self.virkningsdato = virkningsdato
        self.aapningskvittering = aapningskvittering
    }
}

public struct DigitalVarsler: Sendable, Hashable, Codable {
    @LenientString public var epostTekst: String?
    @LenientString public var smsTekst: String?

    public init(epostTekst: String? = nil, smsTekst: String? = nil) {
        self.epostTekst = epostTekst
        self.smsTekst = smsTekst
    }
}
