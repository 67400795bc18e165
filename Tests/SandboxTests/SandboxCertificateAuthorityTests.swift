import Foundation
import TestTools
import Packaging
import Sandbox
import Testing
import X509

@Suite("Sandbox CA and its PKCS#12 keystores")
struct SandboxCertificateAuthorityTests {
    @Test("a 3072-bit virksomhetssertifikat with the org number, as PKCS#12 that openssl and Packaging open")
    func issuesKeystore() throws {
        let scratch = try SandboxScratch()
        defer { scratch.remove() }
        let authority = try SandboxCertificateAuthority()
        let identity = try authority.issueVirksomhetssertifikat(organisationNumber: "910077473", organisationName: "Sandbox Avsender")
        #expect(authority.issued(identity.certificate))
        let validity = identity.certificate.notValidAfter.timeIntervalSince(identity.certificate.notValidBefore)
        #expect(abs(validity - (365 * 86400 + 3600)) < 5)
        let subject = String(describing: identity.certificate.subject)
        #expect(subject.contains("910077473"))

        let password = "sandbox-pass"
        let keystore = try identity.pkcs12(alias: "sandbox-910077473", password: password)
        let path = scratch.file("keystore.p12")
        try keystore.write(to: path)

        let info = try SandboxTool.run("openssl", ["pkcs12", "-info", "-nokeys", "-in", path.path, "-passin", "pass:\(password)"])
        let text = String(decoding: info, as: UTF8.self)
        #expect(text.contains("BEGIN CERTIFICATE"))
        #expect(text.contains("friendlyName: sandbox-910077473"))
        let text2 = String(decoding: try SandboxTool.run("openssl", ["pkcs12", "-info", "-nocerts", "-nodes", "-in", path.path,
                                                                     "-passin", "pass:\(password)"]), as: UTF8.self)
        #expect(text2.contains("BEGIN PRIVATE KEY"))
        #expect(throws: (any Error).self) {
            try SandboxTool.run("openssl", ["pkcs12", "-info", "-nokeys", "-in", path.path, "-passin", "pass:wrong"])
        }
        let certificateText = String(decoding: try SandboxTool.run("openssl", ["x509", "-noout", "-text", "-in", scratch.write("cert.pem", identity.certificatePEM)]), as: UTF8.self)
        #expect(certificateText.contains("(3072 bit)"))
        #expect(certificateText.contains("serialNumber = 910077473") || certificateText.contains("serialNumber=910077473"))

        // Java's keytool (the upstream integration point's own reader) lists the key entry.
        let listing = String(decoding: try SandboxTool.run("keytool", ["-list", "-keystore", path.path, "-storetype", "PKCS12",
                                                                       "-storepass", password]), as: UTF8.self)
        #expect(listing.contains("sandbox-910077473"))
        #expect(listing.contains("PrivateKeyEntry"))

        let opened = try Keystore.load(contentsOf: path, type: .pkcs12, password: password, alias: "sandbox-910077473")
        #expect(opened.certificateDER == identity.certificateDER)
        #expect(opened.certificateChainDER.count == 2)
        #expect(throws: (any Error).self) {
            _ = try Keystore.load(contentsOf: path, type: .pkcs12, password: "wrong", alias: nil)
        }
    }

    @Test("a certificate from another CA is not accepted as issued")
    func foreignCertificate() throws {
        let ours = try SandboxCertificateAuthority(keySize: .bits2048)
        let theirs = try SandboxCertificateAuthority(keySize: .bits2048)
        let foreign = try theirs.issueVirksomhetssertifikat(organisationNumber: "910077473", organisationName: "X", keySize: .bits2048)
        #expect(!ours.issued(foreign.certificate))
        #expect(theirs.issued(foreign.certificate))
    }
}
