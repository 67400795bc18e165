import Foundation
import TestTools
import Testing
@testable import Packaging

@Suite("ASiC-E with CAdES")
struct AsicTests {
    static let manifest = EformidlingManifest(receiver: "0192:910075918", sender: "0192:910077473",
                                              primaryDocumentFilename: "arkivmelding.xml", primaryDocumentMimeType: "application/xml")
    static let text = Data(String(repeating: "Før loven står en dørvokter. ", count: 2000).utf8)
    static let pdf = Data("%PDF-1.4\n".utf8) + Data((0..<5000).map { UInt8(truncatingIfNeeded: $0 * 7) })
    static let arkivmelding = Data("<arkivmelding><tittel>Test</tittel></arkivmelding>".utf8)

    static func documents() -> [AsicDocument] {
        [AsicDocument(filename: "before_the_law.txt", mimeType: "text/plain", data: text),
         AsicDocument(filename: "vedlegg.pdf", mimeType: "application/pdf", data: pdf),
         AsicDocument(filename: "arkivmelding.xml", mimeType: "application/xml", data: arkivmelding)]
    }

    func writeContainer(_ directory: TemporaryDirectory, identity: PrivateKeyAndCertificate) throws -> (URL, AsicWriter) {
        let writer = AsicWriter(identity: identity, signingTime: Date(timeIntervalSince1970: 1_780_000_000))
        let url = directory.file("asic.zip")
        try writer.write(manifest: Self.manifest, documents: Self.documents(), to: url)
        return (url, writer)
    }

    @Test("the layout matches asic-e.md: mimetype first and stored, order, compression per type; unzip -t accepts it")
    func layout() throws {
        let (_, identity) = try SharedPKI.rsa2048
        let directory = try TemporaryDirectory()
        let (url, writer) = try writeContainer(directory, identity: identity)
        let bytes = try Data(contentsOf: url)
        #expect(bytes.prefix(4) == Data([0x50, 0x4B, 0x03, 0x04]))
        #expect(bytes[8] == 0 && bytes[9] == 0)            // STORED
        #expect(bytes[28] == 0 && bytes[29] == 0)          // no extra field
        #expect(bytes[30..<38] == Data("mimetype".utf8))
        #expect(bytes[38..<69] == Data("application/vnd.etsi.asic-e+zip".utf8))
        try ExternalTool.run("unzip", ["-t", url.path])
        let listing = String(decoding: try ExternalTool.run("zipinfo", [url.path]), as: UTF8.self)
        let lines = listing.split(separator: "\n").filter { $0.hasPrefix("-") }
        let names = lines.map { String($0.split(separator: " ").last!) }
        #expect(names == ["mimetype", "manifest.xml", "arkivmelding.xml", "before_the_law.txt", "vedlegg.pdf",
                          "META-INF/ASiCManifest.xml", writer.signatureFilename, "META-INF/manifest.xml"])
        #expect(lines[0].contains(" stor "))
        #expect(lines[4].contains(" stor "))   // pdf
        #expect(lines[3].contains(" defN ") || lines[3].contains(" defX ") || lines[3].contains(" def"))
    }

    @Test("openssl cms -verify accepts our detached SHA-256 signature over the ASiC manifest")
    func opensslVerifies() throws {
        let (_, identity) = try SharedPKI.rsa2048
        let directory = try TemporaryDirectory()
        let (url, writer) = try writeContainer(directory, identity: identity)
        try ExternalTool.run("unzip", ["-q", url.path, "-d", directory.path("x")])
        let signature = directory.path("x/" + writer.signatureFilename)
        try ExternalTool.run("openssl", ["cms", "-verify", "-binary", "-inform", "DER", "-in", signature,
                                         "-content", directory.path("x/META-INF/ASiCManifest.xml"), "-noverify", "-out", "/dev/null"])
        let printed = String(decoding: try ExternalTool.run("openssl", ["cms", "-cmsout", "-print", "-inform", "DER", "-in", signature]), as: UTF8.self)
        for attribute in ["contentType", "signingTime", "messageDigest", "id-smime-aa-signingCertificateV2", "1.2.840.113549.1.9.52", "sha256WithRSAEncryption"] {
            #expect(printed.contains(attribute), "signature lacks \(attribute)")
        }
        let manifest = String(decoding: try Data(contentsOf: URL(fileURLWithPath: directory.path("x/META-INF/ASiCManifest.xml"))), as: UTF8.self)
        #expect(manifest.contains("SigReference URI=\"\(writer.signatureFilename)\""))
        #expect(manifest.contains("DataObjectReference URI=\"manifest.xml\""))
        let odf = String(decoding: try Data(contentsOf: URL(fileURLWithPath: directory.path("x/META-INF/manifest.xml"))), as: UTF8.self)
        #expect(odf.contains("manifest:full-path=\"/\" manifest:media-type=\"application/vnd.etsi.asic-e+zip\""))
    }

    @Test("the reader verifies our container, lists MIME types and streams entries")
    func readOurs() throws {
        let (_, identity) = try SharedPKI.rsa2048
        let directory = try TemporaryDirectory()
        let (url, _) = try writeContainer(directory, identity: identity)
        let reader = try AsicReader(url: url)
        let verification = try reader.verify()
        #expect(verification.signatureDigestAlgorithm == "SHA-256")
        #expect(verification.unsignedDocuments.isEmpty)
        #expect(verification.signingTime == Date(timeIntervalSince1970: 1_780_000_000))
        #expect(reader.documents.map(\.name) == ["manifest.xml", "arkivmelding.xml", "before_the_law.txt", "vedlegg.pdf"])
        #expect(reader.documents.map(\.mimeType) == ["application/xml", "application/xml", "text/plain", "application/pdf"])
        #expect(try reader.data("before_the_law.txt") == Self.text)
        #expect(try reader.data("vedlegg.pdf") == Self.pdf)
        #expect(try reader.data("manifest.xml") == Self.manifest.xml())
        #expect(try EformidlingManifest.parse(try reader.data("manifest.xml")) == Self.manifest)
    }

    /// Builds a ZIP with python's zipfile: an independent writer for hostile and upstream-style containers.
    func pythonZip(_ entries: [(String, Data)], directory: TemporaryDirectory) throws -> URL {
        var script = "import zipfile, base64\nz = zipfile.ZipFile('\(directory.path("made.zip"))', 'w', zipfile.ZIP_DEFLATED)\n"
        for (name, data) in entries {
            let method = name == "mimetype" ? "zipfile.ZIP_STORED" : "zipfile.ZIP_DEFLATED"
            script += "z.writestr(zipfile.ZipInfo('\(name)'), base64.b64decode('\(data.base64EncodedString())'), \(method))\n"
        }
        script += "z.close()\n"
        try ExternalTool.run("python3", ["-"], input: Data(script.utf8))
        return directory.file("made.zip")
    }

    @Test("an upstream-style container (SHA-1 signature, old names and namespace) opens and verifies")
    func upstreamSHA1() throws {
        let (pki, _) = try SharedPKI.rsa2048
        let directory = try TemporaryDirectory()
        let doc = Data("<arkivmelding/>".utf8)
        let digest = Data(SHA256Helper.hash(doc)).base64EncodedString()
        let manifest = Data("""
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?><asic:ASiCManifest xmlns:asic="http://uri.etsi.org/02918/v1.1.1#" xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><asic:SigReference URI="META-INF/signature.p7s" MimeType="application/x-pkcs7-signature"/><asic:DataObjectReference URI="arkivmelding.xml" MimeType="application/xml"><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue>\(digest)</ds:DigestValue></asic:DataObjectReference></asic:ASiCManifest>
        """.utf8)
        try manifest.write(to: directory.file("m.xml"))
        // -stream: BER with indefinite lengths, as BouncyCastle's SignedData encodes
        let signature = try ExternalTool.run("openssl", ["cms", "-sign", "-binary", "-stream", "-md", "sha1", "-outform", "DER", "-in", directory.path("m.xml"),
                                                         "-signer", pki.certificatePath, "-inkey", pki.keyPath])
        #expect(signature.prefix(2) == Data([0x30, 0x80]))
        let url = try pythonZip([("mimetype", Data(AsicWriter.mimeType.utf8)), ("arkivmelding.xml", doc),
                                 ("META-INF/asicmanifest.xml", manifest), ("META-INF/signature.p7s", signature)], directory: directory)
        let reader = try AsicReader(url: url)
        let verification = try reader.verify()
        #expect(verification.signatureDigestAlgorithm == "SHA-1")
        #expect(reader.documents == [.init(name: "arkivmelding.xml", mimeType: "application/xml", size: UInt64(doc.count))])
    }

    @Test("a changed document is detected")
    func tampered() throws {
        let (_, identity) = try SharedPKI.rsa2048
        let directory = try TemporaryDirectory()
        let (url, writer) = try writeContainer(directory, identity: identity)
        let original = try AsicReader(url: url)
        let entries = try original.entryNames.map { name in
            (name, name == "before_the_law.txt" ? Data("changed".utf8) : try original.data(name, verifyDigest: false))
        }
        let forged = try AsicReader(url: try pythonZip(entries, directory: directory))
        #expect(throws: AsicError.digestMismatch("before_the_law.txt")) { try forged.verify() }
    }

    @Test("path traversal names and oversized entries are refused")
    func hostile() throws {
        let directory = try TemporaryDirectory()
        let traversal = try pythonZip([("mimetype", Data(AsicWriter.mimeType.utf8)), ("../../etc/evil", Data("x".utf8))], directory: directory)
        #expect(throws: AsicError.unsafeEntryName("../../etc/evil")) { try AsicReader(url: traversal) }
        let bomb = try pythonZip([("big.txt", Data(count: 1_000_000))], directory: directory)
        #expect(throws: AsicError.entryTooLarge(name: "big.txt", limit: 10_000)) {
            try AsicReader(url: bomb, limits: .init(maximumEntrySize: 10_000))
        }
        #expect(throws: AsicError.self) { try AsicReader(url: bomb, limits: .init(maximumTotalSize: 10_000)) }
    }

    @Test("duplicate and unsafe file names are refused when writing")
    func writerValidation() throws {
        let (_, identity) = try SharedPKI.rsa2048
        let writer = AsicWriter(identity: identity, signingTime: Date())
        let doc = AsicDocument(filename: "a.txt", mimeType: "text/plain", data: Data())
        #expect(throws: AsicError.duplicateFilename("a.txt")) { try writer.data(manifest: nil, documents: [doc, doc]) }
        let bad = AsicDocument(filename: "../a.txt", mimeType: "text/plain", data: Data())
        #expect(throws: AsicError.invalidFilename("../a.txt")) { try writer.data(manifest: nil, documents: [bad]) }
    }
}

import Crypto
enum SHA256Helper { static func hash(_ data: Data) -> [UInt8] { Array(SHA256.hash(data: data)) } }

@Suite("ZIP64")
struct Zip64Tests {
    @Test("ZIP64 records (forced by a low threshold) are accepted by unzip, python's zipfile and our reader")
    func zip64() throws {
        let (_, identity) = try SharedPKI.rsa2048
        let directory = try TemporaryDirectory()
        var writer = AsicWriter(identity: identity, signingTime: Date())
        writer.zip64Threshold = 100
        let url = directory.file("zip64.asice")
        try writer.write(manifest: AsicTests.manifest, documents: AsicTests.documents(), to: url)
        try ExternalTool.run("unzip", ["-t", url.path])
        let script = "import zipfile,sys\nz=zipfile.ZipFile(sys.argv[1])\nassert z.testzip() is None\nprint(len(z.read('before_the_law.txt')))\n"
        try Data(script.utf8).write(to: directory.file("check.py"))
        let length = String(decoding: try ExternalTool.run("python3", [directory.path("check.py"), url.path]), as: UTF8.self)
        #expect(length.trimmingCharacters(in: .whitespacesAndNewlines) == String(AsicTests.text.count))
        let reader = try AsicReader(url: url)
        _ = try reader.verify()
        #expect(try reader.data("before_the_law.txt") == AsicTests.text)
    }
}

@Suite("ZipStreamWriter")
struct ZipStreamWriterTests {
    @Test("an sbd.zip-style archive (json + CMS file) reads back with python's zipfile")
    func sbdZip() throws {
        let directory = try TemporaryDirectory()
        let cms = directory.file("asic.cms")
        try Data((0..<100_000).map { UInt8(truncatingIfNeeded: $0 * 13) }).write(to: cms)
        let output = DataBuffer()
        var zip = ZipStreamWriter(modified: Date(timeIntervalSince1970: 1_780_000_000)) { output.data.append($0) }
        try zip.add(name: "sbd.json", source: .data(Data(#"{"standardBusinessDocumentHeader":{}}"#.utf8)), method: .deflated)
        try zip.add(name: "asic.zip", source: .file(cms), method: .stored)
        try zip.finish()
        try output.data.write(to: directory.file("sbd.zip"))
        let script = "import zipfile,sys\nz=zipfile.ZipFile(sys.argv[1])\nprint(z.namelist(), len(z.read('asic.zip')), z.read('sbd.json').decode())\n"
        try Data(script.utf8).write(to: directory.file("check.py"))
        let printed = String(decoding: try ExternalTool.run("python3", [directory.path("check.py"), directory.path("sbd.zip")]), as: UTF8.self)
        #expect(printed.hasPrefix("['sbd.json', 'asic.zip'] 100000 {\"standardBusinessDocumentHeader\":{}}"))
    }
}
