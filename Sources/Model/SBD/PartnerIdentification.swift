/// `{ "value": "0192:910077473", "authority": "iso6523-actorid-upis" }`.
public struct PartnerIdentification: Sendable, Hashable, Codable {
    @LenientString public var value: String?
    @LenientString public var authority: String?

    public init(value: String?, authority: String? = PartnerIdentifier.iso6523Authority) {
        self.value = value
        self.authority = authority
    }
}
