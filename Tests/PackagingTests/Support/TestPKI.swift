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
