import Foundation
import TestTools
import Testing
@testable import Packaging

@Suite("Keystores")
struct KeystoreTests {
    static let password = "hemmelig-Passord1"

    func exportPKCS12(_ pki: TestPKI, legacy: Bool, name: String = "virksomhet") throws -> Data {
        let out = pki.directory.path(legacy ? "legacy.p12" : "modern.p12")
        var arguments = ["pkcs12", "-export", "-inkey", pki.keyPath, "-in", pki.certificatePath,
                         "-name", name, "-out", out, "-passout", "pass:\(Self.password)"]
        if legacy { arguments.append("-legacy") }
        try ExternalTool.run("openssl", arguments)
        return try Data(contentsOf: URL(fileURLWithPath: out))
    }

    @Test("OpenSSL 3 PKCS#12 (PBES2, AES-256, HMAC-SHA-256) with a 3072-bit key")
    func opensslModern() throws {
        let pki = try TestPKI.make(bits: 3072)
        let data = try exportPKCS12(pki, legacy: false)
        let identity = try Keystore.load(from: data, type: .pkcs12, password: Self.password, alias: "virksomhet")
        #expect(identity.alias == "virksomhet")
        #expect(identity.signingKey.keySizeInBits == 3072)
        #expect(identity.certificateDER == (try TestPKI.der(pki.certificatePath)))
    }

    @Test("openssl pkcs12 -legacy (3DES key bag, RC2-40 certificate bag, SHA-1 MAC)")
    func opensslLegacy() throws {
        let pki = try TestPKI.make(bits: 3072)
        let data = try exportPKCS12(pki, legacy: true)
        let identity = try Keystore.load(from: data, type: .pkcs12, password: Self.password, alias: "VIRKSOMHET")
        #expect(identity.signingKey.keySizeInBits == 3072)
        #expect(identity.certificateDER == (try TestPKI.der(pki.certificatePath)))
    }

    @Test("a wrong password is named as such")
    func wrongPassword() throws {
        let (pki, _) = try SharedPKI.rsa2048
        for legacy in [false, true] {
            let data = try exportPKCS12(pki, legacy: legacy)
            let error = #expect(throws: KeystoreError.self) {
                try Keystore.load(from: data, type: .pkcs12, password: "feil", alias: "virksomhet")
            }
            #expect(error?.description.contains("password is wrong") == true)
        }
    }

    @Test("an unknown alias lists the aliases that exist")
    func unknownAlias() throws {
        let (pki, _) = try SharedPKI.rsa2048
        let data = try exportPKCS12(pki, legacy: false, name: "min-nokkel")
        let error = #expect(throws: KeystoreError.self) {
            try Keystore.load(from: data, type: .pkcs12, password: Self.password, alias: "annen")
        }
        #expect(error?.description.contains("no entry with alias 'annen'") == true)
        #expect(error?.description.contains("'min-nokkel'") == true)
    }

    @Test("keytool PKCS#12 and JKS", arguments: ["PKCS12", "JKS"])
    func keytool(storeType: String) throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("store.\(storeType.lowercased())")
        try ExternalTool.run("keytool", ["-genkeypair", "-storetype", storeType, "-keystore", path, "-alias", "Signer",
                                         "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=Testorg, O=Testorg AS, C=NO",
                                         "-validity", "30", "-storepass", Self.password, "-keypass", Self.password])
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let type: KeystoreType = storeType == "JKS" ? .jks : .pkcs12
        let identity = try Keystore.load(from: data, type: type, password: Self.password, alias: "signer")
        #expect(identity.alias.lowercased() == "signer")
        #expect(identity.signingKey.keySizeInBits == 2048)
        #expect(identity.certificate.subject.description.contains("Testorg"))
        #expect(throws: KeystoreError.self) { try Keystore.load(from: data, type: type, password: "wrong", alias: "signer") }
        let error = #expect(throws: KeystoreError.self) { try Keystore.load(from: data, type: type, password: Self.password, alias: "x") }
        #expect(error?.description.contains("'signer'") == true)
        #expect(try Keystore.aliases(in: data, type: type, password: Self.password) == ["signer"])
    }

    @Test("PEM key and certificate files, and a mismatched pair")
    func pem() throws {
        let (pki, identity) = try SharedPKI.rsa2048
        #expect(identity.signingKey.keySizeInBits == 2048)
        let other = try TestPKI.make(bits: 2048)
        let error = #expect(throws: KeystoreError.self) {
            try Keystore.loadPEM(privateKey: Data(contentsOf: URL(fileURLWithPath: other.keyPath)),
                                 certificateChain: Data(contentsOf: URL(fileURLWithPath: pki.certificatePath)))
        }
        #expect(error == .keyDoesNotMatchCertificate(alias: "pem"))
    }

    @Test("an EC key is refused with the algorithm named")
    func ecKey() throws {
        let directory = try TemporaryDirectory()
        let key = directory.path("ec.pem"), certificate = directory.path("ec.crt"), p12 = directory.path("ec.p12")
        try ExternalTool.run("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                                         "-keyout", key, "-out", certificate, "-subj", "/CN=ec", "-days", "1"])
        try ExternalTool.run("openssl", ["pkcs12", "-export", "-inkey", key, "-in", certificate, "-name", "ec",
                                         "-out", p12, "-passout", "pass:\(Self.password)"])
        let error = #expect(throws: KeystoreError.self) {
            try Keystore.load(contentsOf: URL(fileURLWithPath: p12), type: .pkcs12, password: Self.password, alias: "ec")
        }
        #expect(error?.description.contains("1.2.840.10045.2.1") == true)
        #expect(error?.description.contains("only RSA") == true)
    }

    @Test("a JKS file configured as PKCS12 gets a hint to fix the type")
    func typeMismatchHint() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("store.jks")
        try ExternalTool.run("keytool", ["-genkeypair", "-storetype", "JKS", "-keystore", path, "-alias", "a", "-keyalg", "RSA",
                                         "-keysize", "2048", "-dname", "CN=a", "-storepass", Self.password, "-keypass", Self.password])
        let error = #expect(throws: KeystoreError.self) {
            try Keystore.load(contentsOf: URL(fileURLWithPath: path), type: .pkcs12, password: Self.password, alias: "a")
        }
        #expect(error?.description.contains("difi.move.org.keystore.type=JKS") == true)
    }

    @Test("validity is checked against an injected now")
    func validity() throws {
        let (_, identity) = try SharedPKI.rsa2048
        try identity.checkValidity(now: Date())
        let expired = #expect(throws: KeystoreError.self) { try identity.checkValidity(now: Date().addingTimeInterval(400 * 86400)) }
        #expect(expired?.description.contains("expired") == true)
        let early = #expect(throws: KeystoreError.self) { try identity.checkValidity(now: Date().addingTimeInterval(-86400)) }
        #expect(early?.description.contains("not valid before") == true)
    }
}

extension TestPKI {
    static func der(_ pemPath: String) throws -> Data {
        try ExternalTool.run("openssl", ["x509", "-in", pemPath, "-outform", "DER"])
    }
}
