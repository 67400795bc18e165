import Foundation
import TestTools
@testable import Packaging

/// Keys and certificates made by openssl for one test, in a temporary folder.
struct TestPKI {
    let directory: TemporaryDirectory
    let keyPath: String
    let certificatePath: String

    /// A self-signed RSA certificate made by `openssl req -x509 -newkey`.
    static func make(bits: Int = 3072, subject: String = "/CN=Testorg/O=Testorg AS/serialNumber=910075918", days: Int = 30) throws -> TestPKI {
        let directory = try TemporaryDirectory()
        let key = directory.path("key.pem"), certificate = directory.path("cert.pem")
        try ExternalTool.run("openssl", ["req", "-x509", "-newkey", "rsa:\(bits)", "-nodes", "-keyout", key,
                                         "-out", certificate, "-subj", subject, "-days", String(days)])
        return TestPKI(directory: directory, keyPath: key, certificatePath: certificate)
    }

    func identity() throws -> PrivateKeyAndCertificate {
        try Keystore.loadPEM(privateKey: Data(contentsOf: URL(fileURLWithPath: keyPath)),
                             certificateChain: Data(contentsOf: URL(fileURLWithPath: certificatePath)))
    }
}

/// An identity shared by the fast tests (RSA key generation is slow). A missing `openssl` fails the
/// tests that use it with the tool's message, instead of crashing the test process.
enum SharedPKI {
    private static let cached: Result<(TestPKI, PrivateKeyAndCertificate), any Error> = Result {
        let pki = try TestPKI.make(bits: 2048)
        return (pki, try pki.identity())
    }

    static var rsa2048: (TestPKI, PrivateKeyAndCertificate) {
        get throws { try cached.get() }
    }
}

/// A certificate authority and a certificate it issued, made by openssl: a chain to verify against a trust anchor.
struct TestChain {
    let directory: TemporaryDirectory
    let caKeyPath: String
    let caCertificatePath: String
    let keyPath: String
    let certificatePath: String

    /// The CA (`CN=Test CA`) and a leaf for `subject` with the key usage of a virksomhetssertifikat.
    static func make(bits: Int = 2048, subject: String = "/C=NO/O=Testorg AS/CN=Testorg/serialNumber=910077473",
                     days: Int = 30) throws -> TestChain {
        let directory = try TemporaryDirectory()
        let caKey = directory.path("ca.key"), ca = directory.path("ca.pem")
        let key = directory.path("leaf.key"), csr = directory.path("leaf.csr"), leaf = directory.path("leaf.pem")
        let extensions = directory.path("leaf.ext")
        try ExternalTool.run("openssl", ["req", "-x509", "-newkey", "rsa:\(bits)", "-nodes", "-keyout", caKey, "-out", ca,
                                         "-subj", "/C=NO/O=Test Trust/CN=Test CA", "-days", String(days + 1),
                                         "-addext", "basicConstraints=critical,CA:TRUE",
                                         "-addext", "keyUsage=critical,keyCertSign,cRLSign"])
        try ExternalTool.run("openssl", ["req", "-newkey", "rsa:\(bits)", "-nodes", "-keyout", key, "-out", csr, "-subj", subject])
        try Data("basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation,keyEncipherment,dataEncipherment\n".utf8)
            .write(to: URL(fileURLWithPath: extensions))
        try ExternalTool.run("openssl", ["x509", "-req", "-in", csr, "-CA", ca, "-CAkey", caKey, "-set_serial", "0x7F3A19C2D4E5B6A7081920",
                                         "-out", leaf, "-days", String(days), "-extfile", extensions])
        return TestChain(directory: directory, caKeyPath: caKey, caCertificatePath: ca, keyPath: key, certificatePath: leaf)
    }

    /// The leaf's key with the chain leaf, CA.
    func identity() throws -> PrivateKeyAndCertificate {
        let chain = try Data(contentsOf: URL(fileURLWithPath: certificatePath)) + Data(contentsOf: URL(fileURLWithPath: caCertificatePath))
        return try Keystore.loadPEM(privateKey: Data(contentsOf: URL(fileURLWithPath: keyPath)), certificateChain: chain)
    }

    var caCertificatePEM: String { (try? String(contentsOfFile: caCertificatePath, encoding: .utf8)) ?? "" }
}

/// One chain shared by the tests that need a CA (key generation is slow).
enum SharedChain {
    private static let cached: Result<(TestChain, PrivateKeyAndCertificate), any Error> = Result {
        let chain = try TestChain.make()
        return (chain, try chain.identity())
    }

    static var value: (TestChain, PrivateKeyAndCertificate) {
        get throws { try cached.get() }
    }
}
