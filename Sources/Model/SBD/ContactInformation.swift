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
