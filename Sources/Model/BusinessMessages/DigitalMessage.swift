/// `digital` (DPI, digital post to citizens).
public struct DigitalMessage: Sendable, Hashable, Codable {
    @LenientInt public var sikkerhetsnivaa: Int?
    public var hoveddokument: String?
    public var avsenderId: String?
    public var fakturaReferanse: String?
    public var tittel: String?
    /// e.g. `NO`, `en`.
    public var spraak: String?
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
    public var epostTekst: String?
    public var smsTekst: String?

    public init(epostTekst: String? = nil, smsTekst: String? = nil) {
        self.epostTekst = epostTekst
        self.smsTekst = smsTekst
    }
}
