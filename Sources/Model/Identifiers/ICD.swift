/// ISO 6523 International Code Designators the upstream accepts in `ICD:orgnr` identifiers.
///
/// `0192` (NO:ORG, Brønnøysund) is the one eFormidling uses. `9908` (NO:ORGNR) is deliberately absent: the current
/// upstream does not know it, so `9908:…` fails to parse (`nextmove-api.md` §3.2).
public enum ICD {
    /// Norwegian organisation numbers.
    public static let norway = "0192"

    /// code → scheme id.
    public static let known: [String: String] = [
        "0002": "FR:SIRENE", "0007": "SE:ORGNR", "0009": "FR:SIRET", "0028": "ISO6523", "0037": "FI:OVT",
        "0060": "DUNS", "0088": "GLN", "0096": "DK:P", "0097": "IT:FTI", "0106": "NL:KVK", "0135": "IT:SIA",
        "0142": "IT:SECETI", "0184": "DK:DIGST", "0191": "EE:RIK", "0192": "NO:ORG", "0195": "SG:UEN",
        "9901": "DK:CPR", "9902": "DK:CVR", "9904": "DK:SE", "9905": "DK:VANS", "9906": "IT:VAT", "9907": "IT:CF",
        "9909": "NO:VAT", "9910": "HU:VAT", "9912": "EU:VAT", "9913": "EU:REID", "9914": "AT:VAT",
        "9915": "AT:GOV", "9916": "AT:CID", "9917": "IS:KT", "9918": "IBAN", "9919": "AT:KUR", "9920": "ES:VAT",
        "9921": "IT:IPA", "9922": "AD:VAT", "9923": "AL:VAT", "9924": "BA:VAT", "9925": "BE:VAT",
        "9926": "BG:VAT", "9927": "CH:VAT", "9928": "CY:VAT", "9929": "CZ:VAT", "9930": "DE:VAT",
        "9931": "EE:VAT", "9932": "GB:VAT", "9933": "GR:VAT", "9934": "HR:VAT", "9935": "IE:VAT",
        "9936": "LI:VAT", "9937": "LT:VAT", "9938": "LU:VAT", "9939": "LV:VAT", "9940": "MC:VAT",
        "9941": "ME:VAT", "9942": "MK:VAT", "9943": "MT:VAT", "9944": "NL:VAT", "9945": "PL:VAT",
        "9946": "PT:VAT", "9947": "RO:VAT", "9948": "RS:VAT", "9949": "SI:VAT", "9950": "SK:VAT",
        "9951": "SM:VAT", "9952": "TR:VAT", "9953": "VA:VAT", "9954": "NL:OIN", "9955": "SE:VAT",
        "9956": "BE:CBE", "9957": "FR:VAT", "9958": "DE:LID",
    ]

    public static func isKnown(_ code: String) -> Bool { known[code] != nil }
}
