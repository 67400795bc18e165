import Foundation
import TestTools

/// A virksomhetssertifikat-like PKCS#12 keystore made with the openssl command line.
struct TestKeystore {
    var path: String
    var alias: String
    var password: String

    static func make(in folder: URL, orgNumber: String, bits: Int = 2048) throws -> TestKeystore {
        let key = folder.appendingPathComponent("key.pem").path
        let cert = folder.appendingPathComponent("cert.pem").path
        let p12 = folder.appendingPathComponent("keystore.p12").path
        try openssl(["req", "-x509", "-newkey", "rsa:\(bits)", "-nodes", "-keyout", key, "-out", cert, "-days", "365",
                     "-subj", "/C=NO/O=TEST \(orgNumber)/serialNumber=\(orgNumber)/CN=TEST \(orgNumber)"])
        try openssl(["pkcs12", "-export", "-inkey", key, "-in", cert, "-name", "ip", "-out", p12, "-passout", "pass:changeit"])
        return TestKeystore(path: p12, alias: "ip", password: "changeit")
    }

    static func openssl(_ arguments: [String]) throws {
        try ExternalTool.run("openssl", arguments)
    }
}
