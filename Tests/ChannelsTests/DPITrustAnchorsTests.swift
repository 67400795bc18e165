import Channels
import Foundation
import Packaging
import Sandbox
import Testing
import TestTools
import X509

@Suite("DPI: who may sign receipts")
struct DPITrustAnchorsTests {
    @Test("the test and production authorities are read, are CAs valid today, and differ")
    func authorities() throws {
        let test = try DPITrustAnchors.trust(.test)
        let production = try DPITrustAnchors.trust(.production)
        #expect(test.roots.count == 4 && test.intermediates.count == 4)
        #expect(production.roots.count == 4 && production.intermediates.count == 4)
        let now = Date()
        for certificate in test.roots + test.intermediates + production.roots + production.intermediates {
            #expect(certificate.notValidBefore < now && now < certificate.notValidAfter, "\(certificate.subject)")
            guard case .isCertificateAuthority = try certificate.extensions.basicConstraints else {
                Issue.record("\(certificate.subject) is not a CA")
                continue
            }
        }
        let testNames = test.roots.map { $0.subject.description }
        #expect(testNames.contains { $0.contains("Buypass Class 3 Test4 Root CA") })
        #expect(testNames.contains { $0.contains("Commfides Root CA - G3 - TEST") })
        #expect(testNames.contains { $0.contains("Digitaliseringsdirektoratet TEST") })
        #expect(production.roots.map(\.subject.description).contains { $0.contains("Buypass Class 3 Root CA G2 ST") })
        #expect(Set(test.roots.map(\.subject)).isDisjoint(with: production.roots.map(\.subject)))
    }

    @Test("a sandbox certificate is trusted only when its CA is named as an extra root")
    func extraRoots() async throws {
        let authority = try SandboxCertificateAuthority(key: try TestKeys.key("trust-ca", 2048))
        let signer = try authority.issueVirksomhetssertifikat(organisationNumber: "922222222", organisationName: "Meldingsformidler",
                                                              key: try TestKeys.key("trust-signer", 2048))
        await #expect(throws: CertificateTrustError.self) {
            try await DPITrustAnchors.trust(.test).validate(signer.certificate, at: Date())
        }
        let pem = "-----BEGIN CERTIFICATE-----\n\(authority.certificateDER.base64EncodedString(options: .lineLength64Characters))\n-----END CERTIFICATE-----\n"
        let chain = try await DPITrustAnchors.trust(.test, additionalPEM: pem).validate(signer.certificate, at: Date())
        #expect(chain.count == 2)
        #expect(throws: DPITrustError.self) { try DPITrustAnchors.trust(.test, additionalPEM: "not a certificate") }
    }
}
