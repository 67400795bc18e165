import Foundation

/// A sender or receiver identifier of an SBD (`nextmove-api.md` §3.2): an organisation (ISO 6523 `ICD:orgnr`,
/// optionally with a part identifier for "on behalf of"), a Norwegian person number, a Fiks IO account (UUID, legacy)
/// or a Norsk Helsenett actor (`her-id:N`, `fastlege-for:<fnr>`).
public struct PartnerIdentifier: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        case organization
        case person
        case fiksIo
        case nhnHerId
        case nhnFastlege
    }

    public static let iso6523Authority = "iso6523-actorid-upis"
    public static let nhnAuthority = "nhn-actorid"

    public let kind: Kind
    /// The ICD (`0192`) of an organisation; nil otherwise.
    public let icd: String?
    /// The bare identifier: org number, person number, Fiks IO account, HER-id or the fastlege's patient fnr.
    public let primaryIdentifier: String
    /// The "on behalf of" organisation (third field of `0192:own:other`).
    public let partIdentifier: String?
    /// The single-digit source indicator (fourth field).
    public let sourceIndicator: String?

    /// `iso6523-actorid-upis` or `nhn-actorid`.
    public var authority: String {
        switch kind {
        case .nhnHerId, .nhnFastlege: PartnerIdentifier.nhnAuthority
        default: PartnerIdentifier.iso6523Authority
        }
    }

    /// The identifier as written in the SBD (`0192:910077473`, `0192:910077473:987654321`, `12345678901`, `her-id:1`).
    public var fullIdentifier: String {
        switch kind {
        case .organization:
            var text = "\(icd ?? ICD.norway):\(primaryIdentifier)"
            if let partIdentifier {
                text += ":\(partIdentifier)"
                if let sourceIndicator { text += ":\(sourceIndicator)" }
            }
            return text
        case .person, .fiksIo: return primaryIdentifier
        case .nhnHerId: return "her-id:\(primaryIdentifier)"
        case .nhnFastlege: return "fastlege-for:\(primaryIdentifier)"
        }
    }

    /// The part identifier when present, else the primary one: what the upstream stores as `senderIdentifier`.
    public var partOrPrimaryIdentifier: String { partIdentifier ?? primaryIdentifier }

    public var isOrganization: Bool { kind == .organization }
    public var isPerson: Bool { kind == .person }
    public var isNhn: Bool { kind == .nhnHerId || kind == .nhnFastlege }
    public var hasPartIdentifier: Bool { partIdentifier != nil }

    public var description: String { fullIdentifier }

    /// A Norwegian organisation `0192:<orgnr>[:<part>]`.
    public static func organization(_ orgnr: String, part: String? = nil) -> PartnerIdentifier {
        PartnerIdentifier(kind: .organization, icd: ICD.norway, primaryIdentifier: orgnr, partIdentifier: part,
                          sourceIndicator: nil)
    }

    init(kind: Kind, icd: String? = nil, primaryIdentifier: String, partIdentifier: String? = nil,
         sourceIndicator: String? = nil) {
        self.kind = kind
        self.icd = icd
        self.primaryIdentifier = primaryIdentifier
        self.partIdentifier = partIdentifier
        self.sourceIndicator = sourceIndicator
    }
}

/// An identifier that could not be parsed. `message` is the upstream text (`Unable to parse identifier = 'x'`).
public struct PartnerIdentifierError: Error, Sendable, Equatable, CustomStringConvertible {
    public let value: String
    public let message: String
    public var description: String { message }
}

extension PartnerIdentifier {
    /// Parses an identifier of authority `iso6523-actorid-upis`, trying ISO 6523, then a bare 9-digit org number
    /// (→ `0192:`), then a person number, then a UUID (Fiks IO) — the upstream's order.
    public static func parse(_ value: String) throws(PartnerIdentifierError) -> PartnerIdentifier {
        if let org = parseIso6523(value) { return org }
        if value.utf8.count == 9, value.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) {
            return .organization(value)
        }
        if isValidPersonNumber(value) { return PartnerIdentifier(kind: .person, primaryIdentifier: value) }
        if let uuid = UUID(uuidString: value), uuid.uuidString.lowercased() == value.lowercased() {
            return PartnerIdentifier(kind: .fiksIo, primaryIdentifier: value)
        }
        throw PartnerIdentifierError(value: value, message: "Unable to parse identifier = '\(value)'")
    }

    /// Parses `value` under `authority` (`iso6523-actorid-upis` or `nhn-actorid`); any other authority fails with
    /// the upstream's `Unknown authority = X`.
    public static func parse(_ value: String, authority: String) throws(PartnerIdentifierError) -> PartnerIdentifier {
        switch authority {
        case iso6523Authority:
            return try parse(value)
        case nhnAuthority:
            if let nhn = parseNhn(value) { return nhn }
            throw PartnerIdentifierError(value: value, message: "Unable to parse identifier = '\(value)'")
        default:
            throw PartnerIdentifierError(value: value, message: "Unknown authority = \(authority)")
        }
    }

    /// Whether `value` parses under the ISO 6523 authority.
    public static func isValid(_ value: String) -> Bool {
        (try? parse(value)) != nil
    }

    /// `^(\d{4}):([^:]{1,35})(?::([^\s:]{1,35}))?(?::(\d))?$` with a known ICD.
    static func parseIso6523(_ value: String) -> PartnerIdentifier? {
        let fields = value.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard (2...4).contains(fields.count) else { return nil }
        let icd = fields[0]
        guard icd.utf8.count == 4, icd.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), ICD.isKnown(icd) else { return nil }
        let org = fields[1]
        guard (1...35).contains(org.count) else { return nil }
        var part: String?
        var source: String?
        if fields.count >= 3 {
            // The regex's optional part group is tried before the source-indicator group, so a single digit in
            // the third field is a part identifier, not a source indicator.
            let third = fields[2]
            guard (1...35).contains(third.count), !third.contains(where: \.isWhitespace) else { return nil }
            part = third
        }
        if fields.count == 4 {
            let fourth = fields[3]
            guard fourth.utf8.count == 1, fourth.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
            source = fourth
        }
        return PartnerIdentifier(kind: .organization, icd: icd, primaryIdentifier: org, partIdentifier: part,
                                 sourceIndicator: source)
    }

    /// `her-id:<1–11 digits, positive>` or `fastlege-for:<valid fnr>`.
    static func parseNhn(_ value: String) -> PartnerIdentifier? {
        if value.hasPrefix("her-id:") {
            let id = String(value.dropFirst("her-id:".count))
            guard (1...11).contains(id.utf8.count), id.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
                  let number = Int(id), number > 0 else { return nil }
            return PartnerIdentifier(kind: .nhnHerId, primaryIdentifier: id)
        }
        if value.hasPrefix("fastlege-for:") {
            let fnr = String(value.dropFirst("fastlege-for:".count))
            guard isValidPersonNumber(fnr) else { return nil }
            return PartnerIdentifier(kind: .nhnFastlege, primaryIdentifier: fnr)
        }
        return nil
    }

    /// An 11-digit Norwegian person number (fødselsnummer, D-, H- or synthetic number) with valid mod-11 check digits.
    public static func isValidPersonNumber(_ value: String) -> Bool {
        let digits = value.utf8.map { Int($0) - 48 }
        guard digits.count == 11, digits.allSatisfy({ (0...9).contains($0) }) else { return false }
        // ^[01234567][0-9][014589][0-9]{8}$
        guard digits[0] <= 7, [0, 1, 4, 5, 8, 9].contains(digits[2]) else { return false }
        func check(_ weights: [Int]) -> Int {
            let k = 11 - zip(weights, digits).map { $0 * $1 }.reduce(0, +) % 11
            return k == 11 ? 0 : k
        }
        return check([3, 7, 6, 1, 8, 9, 4, 5, 2]) == digits[9] && check([5, 4, 3, 2, 7, 6, 5, 4, 3, 2]) == digits[10]
    }

    /// "På vegne av" (`OnBehalfOfNormalizer`): an ISO 6523 sender without part identifier whose org number is not
    /// ours becomes `<icd>:<own org>:<given org>`; anything else is returned unchanged.
    public func normalizedOnBehalfOf(ownOrgNumber: String) -> PartnerIdentifier {
        guard kind == .organization, partIdentifier == nil, primaryIdentifier != ownOrgNumber else { return self }
        return PartnerIdentifier(kind: .organization, icd: icd, primaryIdentifier: ownOrgNumber,
                                 partIdentifier: primaryIdentifier, sourceIndicator: nil)
    }
}
