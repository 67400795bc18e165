import Crypto
import Foundation
import TestTools
import Testing
@testable import Packaging

@Suite("ASiC-E with XAdES and the SDP manifest (DPI)")
struct XAdESAsicTests {
    static let signingTime = Date(timeIntervalSince1970: 1_780_000_000)
    static let letter = Data("%PDF-1.4\n".utf8) + Data((0..<20_000).map { UInt8(truncatingIfNeeded: $0 * 13) })
    static let attachment = Data(String(repeating: "Vedtak om støtte. ", count: 500).utf8)
    static let metadata = Data("<lenke xmlns=\"http://begrep.difi.no/sdp/utvidelser/lenke\"><url>https://example.no</url></lenke>".utf8)
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/sdp")

    static let manifest = SDPManifest(
        postkasseadresse: "ola.nordmann#9YDT", senderOrganisation: "0192:910077473", avsenderidentifikator: "saksbehandling",
        fakturaReferanse: "faktura-17",
        primaryDocument: .init(href: "vedtak.pdf", mimeType: "application/pdf", title: "Vedtak om støtte & tilskudd",
                               data: (href: "lenke.xml", mimeType: "application/vnd.difi.dpi.lenke+xml")),
        attachments: [.init(href: "vedlegg 1 – begrunnelse.txt", mimeType: "text/plain", title: "Begrunnelse")],
        language: "NO")

    static func documents() -> [AsicDocument] {
        [AsicDocument(filename: "vedtak.pdf", mimeType: "application/pdf", data: letter),
         AsicDocument(filename: "vedlegg 1 – begrunnelse.txt", mimeType: "text/plain", data: attachment),
         AsicDocument(filename: "lenke.xml", mimeType: "application/vnd.difi.dpi.lenke+xml", data: metadata)]
    }

    /// Writes the container and unpacks it into `x/`.
    func unpacked(_ directory: TemporaryDirectory, identity: PrivateKeyAndCertificate) throws -> URL {
        let url = directory.file("asic.zip")
        try XAdESAsicWriter(identity: identity, signingTime: Self.signingTime)
            .write(manifest: Self.manifest, documents: Self.documents(), to: url)
        try ExternalTool.run("python3", ["-c", "import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])",
                                         url.path, directory.path("x")])
        return url
    }

    /// The entry names as Python's zipfile reads them (UTF-8 names need the ZIP's language encoding flag).
    func entryNames(_ url: URL) throws -> [String] {
        let output = try ExternalTool.run("python3", ["-c", "import sys, zipfile; print('\\n'.join(zipfile.ZipFile(sys.argv[1]).namelist()))", url.path])
        return String(decoding: output, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    /// `xmlsec1 --verify` of `signatures.xml`, placed beside the files its references name, trusting `ca`.
    func xmlsec1Verify(_ directory: TemporaryDirectory, ca: String) throws {
        let signatures = directory.path("x/signatures.xml")
        try? FileManager.default.removeItem(atPath: signatures)
        try FileManager.default.copyItem(atPath: directory.path("x/META-INF/signatures.xml"), toPath: signatures)
        try ExternalTool.run("xmlsec1", ["--verify", "--trusted-pem", ca, "--id-attr:Id", "http://uri.etsi.org/01903/v1.3.2#:SignedProperties", "signatures.xml"],
                             in: directory.file("x"))
    }

    @Test("the layout is the DPI one: mimetype first and stored, manifest.xml, documents, signatures.xml, META-INF/manifest.xml")
    func layout() throws {
        let (_, identity) = try SharedChain.value
        let directory = try TemporaryDirectory()
        let url = try unpacked(directory, identity: identity)
        let bytes = try Data(contentsOf: url)
        #expect(bytes[8] == 0 && bytes[9] == 0)
        #expect(bytes[30..<38] == Data("mimetype".utf8))
        try ExternalTool.run("unzip", ["-t", url.path])
        #expect(try entryNames(url) == [
            "mimetype", "manifest.xml", "vedtak.pdf", "vedlegg 1 – begrunnelse.txt", "lenke.xml",
            "META-INF/signatures.xml", "META-INF/manifest.xml",
        ])
        let odf = String(decoding: try Data(contentsOf: directory.file("x/META-INF/manifest.xml")), as: UTF8.self)
        #expect(odf.contains("manifest:full-path=\"lenke.xml\" manifest:media-type=\"application/vnd.difi.dpi.lenke+xml\""))
        #expect(!FileManager.default.fileExists(atPath: directory.path("x/META-INF/ASiCManifest.xml")))
    }

    @Test("xmlsec1 verifies the XAdES signature, every file reference and the signed properties against the CA")
    func xmlsec1Verifies() throws {
        let (chain, identity) = try SharedChain.value
        let directory = try TemporaryDirectory()
        _ = try unpacked(directory, identity: identity)
        try xmlsec1Verify(directory, ca: chain.caCertificatePath)
    }

    @Test("xmlsec1 refuses the signature when a document, the manifest or the signing time was changed")
    func xmlsec1RefusesTampering() throws {
        let (chain, identity) = try SharedChain.value
        for target in ["vedlegg 1 – begrunnelse.txt", "manifest.xml", "signing time"] {
            let directory = try TemporaryDirectory()
            _ = try unpacked(directory, identity: identity)
            if target == "signing time" {
                let path = directory.file("x/META-INF/signatures.xml")
                let xml = String(decoding: try Data(contentsOf: path), as: UTF8.self)
                try Data(xml.replacingOccurrences(of: "2026-05-28T", with: "2026-05-29T").utf8).write(to: path)
                #expect(xml.contains("2026-05-28T"))
            } else {
                let handle = try FileHandle(forWritingTo: directory.file("x/" + target))
                try handle.seekToEnd()
                try handle.write(contentsOf: Data(" ".utf8))
                try handle.close()
            }
            #expect(throws: (any Error).self, "a changed \(target) must not verify") {
                try xmlsec1Verify(directory, ca: chain.caCertificatePath)
            }
        }
    }

    @Test("xmlsec1 refuses the signature against a CA that did not issue the signer")
    func xmlsec1RefusesOtherCA() throws {
        let (_, identity) = try SharedChain.value
        let other = try TestPKI.make(bits: 2048, subject: "/CN=Other CA")
        let directory = try TemporaryDirectory()
        _ = try unpacked(directory, identity: identity)
        #expect(throws: (any Error).self) { try xmlsec1Verify(directory, ca: other.certificatePath) }
    }

    @Test("Python reads the XAdES properties: certificate digest, issuer and serial, MIME types, file digests")
    func pythonChecksProperties() throws {
        let (chain, identity) = try SharedChain.value
        let directory = try TemporaryDirectory()
        _ = try unpacked(directory, identity: identity)
        let script = """
        import base64, hashlib, sys, urllib.parse
        import xml.etree.ElementTree as ET
        from cryptography import x509
        from cryptography.hazmat.primitives.serialization import Encoding
        ds, xa = '{http://www.w3.org/2000/09/xmldsig#}', '{http://uri.etsi.org/01903/v1.3.2#}'
        root = ET.parse('META-INF/signatures.xml').getroot()
        assert root.tag == '{http://uri.etsi.org/02918/v1.2.1#}XAdESSignatures', root.tag
        cert = x509.load_pem_x509_certificate(open(sys.argv[1], 'rb').read())
        leaf = root.find(f'.//{ds}KeyInfo/{ds}X509Data/{ds}X509Certificate').text
        assert base64.b64decode(leaf) == cert.public_bytes(Encoding.DER)
        digest = root.find(f'.//{xa}SigningCertificate/{xa}Cert/{xa}CertDigest/{ds}DigestValue').text
        assert base64.b64decode(digest) == hashlib.sha1(cert.public_bytes(Encoding.DER)).digest()
        serial = root.find(f'.//{xa}IssuerSerial/{ds}X509SerialNumber').text
        assert int(serial) == cert.serial_number, (serial, cert.serial_number)
        issuer = root.find(f'.//{xa}IssuerSerial/{ds}X509IssuerName').text
        assert x509.Name.from_rfc4514_string(issuer) == cert.issuer, (issuer, cert.issuer.rfc4514_string())
        formats = {f.get('ObjectReference'): f.find(f'{xa}MimeType').text for f in root.iter(f'{xa}DataObjectFormat')}
        files = []
        for ref in root.iter(f'{ds}Reference'):
            uri = ref.get('URI')
            if uri.startswith('#'):
                assert ref.get('Type') == 'http://uri.etsi.org/01903#SignedProperties'
                continue
            name = urllib.parse.unquote(uri)
            assert base64.b64decode(ref.find(f'{ds}DigestValue').text) == hashlib.sha256(open(name, 'rb').read()).digest(), name
            files.append((name, formats['#' + ref.get('Id')]))
        print(files)
        """
        let output = String(decoding: try ExternalTool.run("python3", ["-c", script, chain.certificatePath], in: directory.file("x")),
                            as: UTF8.self)
        #expect(output.contains("('manifest.xml', 'application/xml')"))
        #expect(output.contains("('vedtak.pdf', 'application/pdf')"))
        #expect(output.contains("('vedlegg 1 – begrunnelse.txt', 'text/plain')"))
        #expect(output.contains("('lenke.xml', 'application/vnd.difi.dpi.lenke+xml')"))
    }

    @Test("the SDP manifest validates against sdp-manifest.xsd with xmllint and carries what the letter says")
    func manifestValidates() throws {
        let (_, identity) = try SharedChain.value
        let directory = try TemporaryDirectory()
        _ = try unpacked(directory, identity: identity)
        try ExternalTool.run("xmllint", ["--noout", "--nonet", "--schema", Self.fixtures.appendingPathComponent("sdp-manifest.xsd").path,
                                         directory.path("x/manifest.xml")])
        let xml = String(decoding: try Data(contentsOf: directory.file("x/manifest.xml")), as: UTF8.self)
        #expect(xml.contains("<postkasseadresse>ola.nordmann#9YDT</postkasseadresse>"))
        #expect(xml.contains("<organisasjon authority=\"iso6523-actorid-upis\">0192:910077473</organisasjon>"))
        #expect(xml.contains("<tittel lang=\"NO\">Vedtak om støtte &amp; tilskudd</tittel>"))
        #expect(xml.contains("<data href=\"lenke.xml\" mime=\"application/vnd.difi.dpi.lenke+xml\"/>"))
        // A print manifest has no mottaker and still validates.
        var print = Self.manifest
        print.postkasseadresse = nil
        let printFile = directory.file("print-manifest.xml")
        try print.xml().write(to: printFile)
        try ExternalTool.run("xmllint", ["--noout", "--nonet", "--schema", Self.fixtures.appendingPathComponent("sdp-manifest.xsd").path,
                                         printFile.path])
    }

    @Test("values the schema forbids are refused before anything is written, naming the field")
    func manifestRules() throws {
        var manifest = Self.manifest
        manifest.fakturaReferanse = String(repeating: "x", count: 41)
        #expect(throws: SDPManifestError.self) { try manifest.xml() }
        manifest = Self.manifest
        manifest.language = "nob"
        #expect { try manifest.xml() } throws: { ($0 as? SDPManifestError)?.field == "tittel.lang" }
        manifest = Self.manifest
        manifest.primaryDocument.href = "a.b"
        #expect { try manifest.xml() } throws: { ($0 as? SDPManifestError)?.field == "hoveddokument.href" }
        manifest = Self.manifest
        manifest.senderOrganisation = "910077473"
        #expect { try manifest.xml() } throws: { "\($0)".contains("avsender.organisasjon") }
    }

    @Test("a document the manifest does not name, or a named file that is missing, is refused")
    func documentsMatchManifest() throws {
        let (_, identity) = try SharedChain.value
        let writer = XAdESAsicWriter(identity: identity, signingTime: Self.signingTime)
        var documents = Self.documents()
        documents.removeLast()
        #expect(throws: AsicError.entryNotFound("lenke.xml")) { try writer.data(manifest: Self.manifest, documents: documents) }
        documents = Self.documents() + [AsicDocument(filename: "extra.txt", mimeType: "text/plain", data: Data("x".utf8))]
        #expect(throws: AsicError.self) { try writer.data(manifest: Self.manifest, documents: documents) }
    }

    @Test("the canonical writer escapes text and attributes as Canonical XML 1.0 does")
    func canonicalEscapes() {
        #expect(CanonicalXMLWriter.escapeText("a&b<c>d\r\"e'") == "a&amp;b&lt;c&gt;d&#xD;\"e'")
        #expect(CanonicalXMLWriter.escapeAttribute("a&b<c>\"\t\n\r") == "a&amp;b&lt;c>&quot;&#x9;&#xA;&#xD;")
        #expect(XAdESSignature.referenceURI("vedlegg 1 – ø.txt") == "vedlegg%201%20%E2%80%93%20%C3%B8.txt")
        #expect(DecimalText.unsigned([0x7F, 0x3A, 0x19, 0xC2, 0xD4, 0xE5, 0xB6, 0xA7, 0x08, 0x19, 0x20]) == "153807951554764698418682144")
        #expect(DecimalText.unsigned([0]) == "0")
    }
}
