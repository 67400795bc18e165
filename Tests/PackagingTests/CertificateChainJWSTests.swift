import Foundation
import TestTools
import Testing
import X509
@testable import Packaging

@Suite("JWS with the signer's certificate chain in x5c")
struct CertificateChainJWSTests {
    static let payload = Data(#"{"standardBusinessDocument":{"digital":{"ikkesensitivtittel":"Vedtak"}}}"#.utf8)

    func trust(_ chain: TestChain) throws -> CertificateTrust {
        try CertificateTrust(pemBundle: chain.caCertificatePEM)
    }

    @Test("openssl verifies our RS256 signature with the key of the x5c leaf, and the x5c chain is leaf then CA")
    func opensslVerifiesOurs() throws {
        let (chain, identity) = try SharedChain.value
        let jws = try CertificateChainJWS.sign(payload: Self.payload, identity: identity)
        let parts = jws.split(separator: ".").map(String.init)
        let directory = try TemporaryDirectory()
        let headerJSON = try #require(RS256CompactJWS.base64URLDecode(parts[0]))
        let header = try #require(try JSONSerialization.jsonObject(with: headerJSON) as? [String: Any])
        #expect(header["alg"] as? String == "RS256")
        let x5c = try #require(header["x5c"] as? [String])
        #expect(x5c.count == 2)
        try Data(base64Encoded: x5c[0])!.write(to: directory.file("leaf.der"))
        try Data(base64Encoded: x5c[1])!.write(to: directory.file("ca.der"))
        try ExternalTool.run("openssl", ["verify", "-CAfile", chain.caCertificatePath, chain.certificatePath])
        let caFromJWS = try ExternalTool.run("openssl", ["x509", "-inform", "DER", "-in", directory.path("ca.der"), "-outform", "PEM"])
        #expect(String(decoding: caFromJWS, as: UTF8.self) == chain.caCertificatePEM)
        try ExternalTool.run("openssl", ["x509", "-inform", "DER", "-in", directory.path("leaf.der"), "-pubkey", "-noout",
                                         "-out", directory.path("key.pem")])
        try Data((parts[0] + "." + parts[1]).utf8).write(to: directory.file("input"))
        try RS256CompactJWS.base64URLDecode(parts[2])!.write(to: directory.file("signature"))
        let result = try ExternalTool.run("openssl", ["dgst", "-sha256", "-verify", directory.path("key.pem"),
                                                      "-signature", directory.path("signature"), directory.path("input")])
        #expect(String(decoding: result, as: UTF8.self).contains("Verified OK"))
        #expect(RS256CompactJWS.base64URLDecode(parts[1]) == Self.payload)
    }

    @Test("a JWS Python signs with x5c verifies; changed, untrusted, expired or without x5c it is refused with the reason")
    func verifiesPythonsAndRefusesBadOnes() async throws {
        let (chain, _) = try SharedChain.value
        let script = """
        import base64, json, sys
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import padding
        b64 = lambda b: base64.urlsafe_b64encode(b).rstrip(b'=').decode()
        key = serialization.load_pem_private_key(open(sys.argv[1], 'rb').read(), None)
        certs = [x509.load_pem_x509_certificate(open(p, 'rb').read()) for p in sys.argv[2:]]
        header = {'alg': 'RS256', 'x5c': [base64.b64encode(c.public_bytes(serialization.Encoding.DER)).decode() for c in certs]}
        data = b64(json.dumps(header).encode()) + '.' + b64(b'{"hello":"DPI"}')
        print(data + '.' + b64(key.sign(data.encode(), padding.PKCS1v15(), hashes.SHA256())))
        """
        let signed = String(decoding: try ExternalTool.run("python3", ["-c", script, chain.keyPath, chain.certificatePath]), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let trust = try trust(chain)
        let verified = try await CertificateChainJWS.verify(signed, trust: trust, at: Date())
        #expect(verified.payload == Data(#"{"hello":"DPI"}"#.utf8))
        #expect(verified.signer.subject.description.contains("Testorg"))

        var parts = signed.split(separator: ".").map(String.init)
        parts[1] = RS256CompactJWS.base64URL(Data(#"{"hello":"DPO"}"#.utf8))
        await #expect { try await CertificateChainJWS.verify(parts.joined(separator: "."), trust: trust, at: Date()) } throws: {
            guard case CertificateChainJWSError.badSignature = $0 else { return false }
            return "\($0)".contains("does not verify")
        }
        let stranger = try TestPKI.make(bits: 2048, subject: "/CN=Other CA")
        await #expect { try await CertificateChainJWS.verify(signed, trust: try CertificateTrust(pemBundle: String(contentsOfFile: stranger.certificatePath, encoding: .utf8)), at: Date()) } throws: {
            guard case CertificateChainJWSError.untrustedCertificate = $0 else { return false }
            return "\($0)".contains("not trusted")
        }
        await #expect { try await CertificateChainJWS.verify(signed, trust: trust, at: Date().addingTimeInterval(90 * 86400)) } throws: {
            if case CertificateChainJWSError.untrustedCertificate = $0 { return true }
            return false
        }
        let withoutChain = try RS256CompactJWS.sign(payload: Data("{}".utf8), key: try SharedChain.value.1.signingKey)
        await #expect(throws: CertificateChainJWSError.missingCertificate) {
            try await CertificateChainJWS.verify(withoutChain, trust: trust, at: Date())
        }
    }

    @Test("a leaf whose key usage forbids signatures is not trusted for signed messages")
    func keyUsageIsChecked() async throws {
        let directory = try TemporaryDirectory()
        let (chain, _) = try SharedChain.value
        let key = directory.path("k.pem"), csr = directory.path("c.csr"), cert = directory.path("c.pem"), ext = directory.path("e.ext")
        try ExternalTool.run("openssl", ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", csr, "-subj", "/CN=Encrypt only"])
        try Data("keyUsage=critical,keyEncipherment\n".utf8).write(to: URL(fileURLWithPath: ext))
        try ExternalTool.run("openssl", ["x509", "-req", "-in", csr, "-CA", chain.caCertificatePath, "-CAkey", chain.caKeyPath,
                                         "-set_serial", "7", "-out", cert, "-days", "5", "-extfile", ext])
        let leaf = try Certificate(pemEncoded: String(contentsOfFile: cert, encoding: .utf8))
        await #expect(throws: CertificateTrustError.self) { try await trust(chain).validate(leaf, at: Date()) }
        let good = try Certificate(pemEncoded: String(contentsOfFile: chain.certificatePath, encoding: .utf8))
        let path = try await trust(chain).validate(good, at: Date())
        #expect(path.count == 2)
    }
}
