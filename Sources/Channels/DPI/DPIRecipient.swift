import Foundation

/// Where a DPI letter goes and who can open it: the citizen's postbox provider and mailbox (digital post), or the
/// print provider (print), with the certificate the document package is encrypted to.
public struct DPIRecipient: Sendable, Equatable {
    /// The postbox or print provider's organisation number (the forretningsmelding's receiver).
    public var providerOrganisationNumber: String
    /// The citizen's mailbox address at the provider (`postkasseAdresse`); `nil` for print.
    public var postkasseadresse: String?
    /// The provider's certificate (DER): the document package is encrypted to it.
    public var certificateDER: Data
    /// Contact register details for notifications (digital post only).
    public var email: String?
    public var mobile: String?
    /// The citizen's language from the contact register (`spraak`), when known.
    public var language: String?

    public init(providerOrganisationNumber: String, postkasseadresse: String?, certificateDER: Data,
                email: String? = nil, mobile: String? = nil, language: String? = nil) {
        self.providerOrganisationNumber = providerOrganisationNumber
        self.postkasseadresse = postkasseadresse
        self.certificateDER = certificateDER
        self.email = email
        self.mobile = mobile
        self.language = language
    }

    /// The recipient of digital post from the citizen's DPI record in the service registry.
    public init(digitalPostRecord record: ServiceRecord) throws {
        guard let provider = record.orgnrPostkasse?.trimmingCharacters(in: .whitespaces), !provider.isEmpty,
              let mailbox = record.postkasseAdresse?.trimmingCharacters(in: .whitespaces), !mailbox.isEmpty else {
            throw DPIError.incompleteRecipient("the service registry's DPI record has no orgnrPostkasse or postkasseAdresse; the citizen may have no digital mailbox, send the letter as print")
        }
        guard let certificate = record.certificateDER else {
            throw DPIError.incompleteRecipient("the service registry's DPI record has no pemCertificate for the postbox provider \(provider)")
        }
        self.init(providerOrganisationNumber: provider, postkasseadresse: mailbox, certificateDER: certificate,
                  email: record.epostAdresse.flatMap { $0.isEmpty ? nil : $0 },
                  mobile: record.mobilnummer.flatMap { $0.isEmpty ? nil : $0 },
                  language: record.spraak.flatMap { $0.isEmpty ? nil : $0 })
    }

    /// The print provider from the contact register (`krr-print-url`); the language may come from the citizen's
    /// record when the letter has a receiver.
    public init(printProvider: PrintProvider, language: String? = nil) {
        self.init(providerOrganisationNumber: printProvider.organisationNumber, postkasseadresse: nil,
                  certificateDER: printProvider.certificateDER, language: language)
    }
}
