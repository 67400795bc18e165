/// A sender or receiver of an SBD header: `{ "identifier": { "value", "authority" }, "contactInformation": [...] }`.
public struct Partner: Sendable, Hashable, Codable {
    public var identifier: PartnerIdentification?
    /// Ignored by the integration point; omitted from JSON when empty.
    public var contactInformation: [ContactInformation]

    public init(identifier: PartnerIdentification?, contactInformation: [ContactInformation] = []) {
        self.identifier = identifier
        self.contactInformation = contactInformation
    }

    /// A partner with `identifier` (value + authority) taken from a parsed identifier.
    public init(_ identifier: PartnerIdentifier) {
        self.init(identifier: PartnerIdentification(value: identifier.fullIdentifier, authority: identifier.authority))
    }

    enum CodingKeys: String, CodingKey { case identifier, contactInformation }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        identifier = try c.decodeIfPresent(PartnerIdentification.self, forKey: .identifier)
        contactInformation = try c.decodeIfPresent([ContactInformation].self, forKey: .contactInformation) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(identifier, forKey: .identifier)
        if !contactInformation.isEmpty { try c.encode(contactInformation, forKey: .contactInformation) }
    }
}

/// `{ "value": "0192:910077473", "authority": "iso6523-actorid-upis" }`.
public struct PartnerIdentification: Sendable, Hashable, Codable {
    @LenientString public var value: String?
    @LenientString public var authority: String?

    public init(value: String?, authority: String? = PartnerIdentifier.iso6523Authority) {
        self.value = value
        self.authority = authority
    }
}

/// Contact details of a partner (unused by the integration point, echoed).
public struct ContactInformation: Sendable, Hashable, Codable {
    @LenientString public var contact: String?
    @LenientString public var emailAddress: String?
    @LenientString public var faxNumber: String?
    @LenientString public var telephoneNumber: String?
    @LenientString public var contactTypeIdentifier: String?

    public init(contact: String? = nil, emailAddress: String? = nil, faxNumber: String? = nil,
                telephoneNumber: String? = nil, contactTypeIdentifier: String? = nil) {
        self.contact = contact
        self.emailAddress = emailAddress
        self.faxNumber = faxNumber
        self.telephoneNumber = telephoneNumber
        self.contactTypeIdentifier = contactTypeIdentifier
    }
}
