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
