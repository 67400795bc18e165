import Channels
import Foundation
import Testing
import TestTools

@Suite("A service record's certificate, read from its PEM text")
struct ServiceRecordCertificateTests {
    /// openssl writes a certificate as PEM and as DER; the record's DER must be openssl's, however the registry's
    /// text is laid out: LF or CRLF line ends, no header and footer (added on decoding), stray spaces.
    @Test func derAsOpenSSLWritesIt() throws {
        let folder = try TemporaryDirectory()
        try ExternalTool.run("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", folder.path("key.pem"),
                                         "-out", folder.path("cert.pem"), "-subj", "/CN=910077473", "-days", "1"])
        try ExternalTool.run("openssl", ["x509", "-in", folder.path("cert.pem"), "-outform", "DER", "-out", folder.path("cert.der")])
        let pem = try String(contentsOf: folder.file("cert.pem"), encoding: .utf8)
        let der = try Data(contentsOf: folder.file("cert.der"))
        let body = pem.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined(separator: "\n")
        for text in [pem, pem.replacingOccurrences(of: "\n", with: "\r\n"), body, " " + body.replacingOccurrences(of: "\n", with: " \n")] {
            let json = try JSONSerialization.data(withJSONObject: [
                "pemCertificate": text, "process": "p", "documentTypes": [String](), "service": ["identifier": "DPO"],
            ])
            let record = try JSONDecoder().decode(ServiceRecord.self, from: json)
            #expect(record.certificateDER == der)
        }
        #expect(ServiceRecord(organisationNumber: nil, pemCertificate: nil, process: "p", documentTypes: [],
                              service: .init(identifier: .DPO)).certificateDER == nil)
    }
}
