import Foundation
import TestTools

/// The `openssl` command line, for cross-checking our crypto against an independent implementation.
public enum OpenSSL {
    /// Runs `openssl` with `arguments`; throws with its output when it fails.
    @discardableResult
    public static func run(_ arguments: [String]) throws -> Data {
        try ExternalTool.run("openssl", arguments)
    }

    /// A fresh RSA key and self-signed certificate as PEM files in `folder`.
    public static func makeKeyAndCertificate(in folder: URL, bits: Int = 2048) throws -> (key: URL, certificate: URL) {
        let key = folder.appendingPathComponent("key.pem")
        let certificate = folder.appendingPathComponent("cert.pem")
        try run(["req", "-x509", "-newkey", "rsa:\(bits)", "-nodes", "-keyout", key.path, "-out", certificate.path,
                 "-days", "30", "-subj", "/C=NO/O=Test/serialNumber=910077473/CN=Test"])
        return (key, certificate)
    }
}
