/// A postal address as the service registry's DPI record gives it (`postAddress`, `returnAddress`), and as the
/// capabilities of a citizen show it.
public struct RegistryPostAddress: Sendable, Hashable, Codable {
    public var name: String?
    /// Street lines separated by `;`.
    public var street: String?
    public var postalCode: String?
    public var postalArea: String?
    public var country: String?

    public init(name: String? = nil, street: String? = nil, postalCode: String? = nil, postalArea: String? = nil,
                country: String? = nil) {
        self.name = name
        self.street = street
        self.postalCode = postalCode
        self.postalArea = postalArea
        self.country = country
    }
}
