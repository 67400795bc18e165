import Foundation

/// The print provider ("utskriftstjeneste") as the contact register names it (`GET krr-print-url`:
/// `{"postkasseleverandoerAdresse": "<orgnr>", "x509Sertifikat": "<PEM or base64 DER>"}`).
public struct PrintProvider: Sendable, Equatable {
    public var organisationNumber: String
    public var certificateDER: Data

    public init(organisationNumber: String, certificateDER: Data) {
        self.organisationNumber = organisationNumber
        self.certificateDER = certificateDER
    }

    /// Reads the contact register's answer; throws `DPIError.printProviderUnavailable` when it lacks a field.
    public init(json: Data) throws {
        guard let object = try? JSONSerialization.jsonObject(with: json) as? [String: Any] else {
            throw DPIError.printProviderUnavailable("the answer is not a JSON object")
        }
        guard let organisation = (object["postkasseleverandoerAdresse"] as? String)?.trimmingCharacters(in: .whitespaces),
              !organisation.isEmpty else {
            throw DPIError.printProviderUnavailable("the answer has no postkasseleverandoerAdresse")
        }
        guard let certificate = (object["x509Sertifikat"] as? String).flatMap(Self.certificateDER(from:)) else {
            throw DPIError.printProviderUnavailable("the answer has no readable x509Sertifikat")
        }
        self.init(organisationNumber: organisation, certificateDER: certificate)
    }

    /// DER from PEM text, or from bare base64 (with or without line breaks).
    static func certificateDER(from text: String) -> Data? {
        let base64 = text.split(whereSeparator: \.isNewline).filter { !$0.hasPrefix("-----") }.joined()
            .filter { !$0.isWhitespace }
        guard let der = Data(base64Encoded: base64), !der.isEmpty else { return nil }
        return der
    }
}
