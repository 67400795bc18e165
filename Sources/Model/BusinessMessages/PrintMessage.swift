import Foundation

/// `print` (DPI, physical mail).
public struct PrintMessage: Sendable, Hashable, Codable {
    @LenientString public var hoveddokument: String?
    @LenientString public var avsenderId: String?
    @LenientString public var fakturaReferanse: String?
    public var mottaker: PostAddress?
    /// `SORT_HVIT` | `FARGE` (default `SORT_HVIT`).
    @LenientString public var utskriftsfarge: String?
    /// `A_PRIORITERT` | `B_OEKONOMI` (default `B_OEKONOMI`).
    @LenientString public var posttype: String?
    public var retur: MailReturn?
    @SortedMap public var printinstruksjoner: [String: String]?

    public init(hoveddokument: String? = nil, avsenderId: String? = nil, fakturaReferanse: String? = nil,
                mottaker: PostAddress? = nil, utskriftsfarge: String? = nil, posttype: String? = nil,
                retur: MailReturn? = nil, printinstruksjoner: [String: String]? = nil) {
        self.hoveddokument = hoveddokument
        self.avsenderId = avsenderId
        self.fakturaReferanse = fakturaReferanse
        self.mottaker = mottaker
        self.utskriftsfarge = utskriftsfarge
        self.posttype = posttype
        self.retur = retur
        self.printinstruksjoner = printinstruksjoner
    }
}

public struct PostAddress: Sendable, Hashable, Codable {
    @LenientString public var navn: String?
    @LenientString public var adresselinje1: String?
    @LenientString public var adresselinje2: String?
    @LenientString public var adresselinje3: String?
    @LenientString public var adresselinje4: String?
    @LenientString public var postnummer: String?
    @LenientString public var poststed: String?
    @LenientString public var land: String?

    public init(navn: String? = nil, adresselinje1: String? = nil, adresselinje2: String? = nil,
                adresselinje3: String? = nil, adresselinje4: String? = nil, postnummer: String? = nil,
                poststed: String? = nil, land: String? = nil) {
        self.navn = navn
        self.adresselinje1 = adresselinje1
        self.adresselinje2 = adresselinje2
        self.adresselinje3 = adresselinje3
        self.adresselinje4 = adresselinje4
        self.postnummer = postnummer
        self.poststed = poststed
        self.land = land
    }

    /// "Norwegian" as the print validation sees it: `land` absent, or `Norge`/`Norway` ignoring case.
    public var isNorwegian: Bool {
        guard let land else { return true }
        return land.caseInsensitiveCompare("Norge") == .orderedSame || land.caseInsensitiveCompare("Norway") == .orderedSame
    }
}

public struct MailReturn: Sendable, Hashable, Codable {
    public var mottaker: PostAddress?
    /// `DIREKTE_RETUR` | `MAKULERING_MED_MELDING`.
    @LenientString public var returhaandtering: String?

    public init(mottaker: PostAddress? = nil, returhaandtering: String? = nil) {
        self.mottaker = mottaker
        self.returhaandtering = returhaandtering
    }
}
