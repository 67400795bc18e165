import Channels
import Crypto
import Foundation
import TestTools
import Packaging
import Sandbox
import Testing
import ZIPFoundation

@Suite("DPO transfer file: sbd.zip with sbd.json and the CMS-encrypted asic.zip")
struct DPOMessagePackerTests {
    static let sbd = Data(#"{"standardBusinessDocumentHeader":{"headerVersion":"1.0"},"arkivmelding":{"sikkerhetsnivaa":3}}"#.utf8)

    @Test("pack and unpack: sbd.json as given, asic.zip decrypts with the receiver's key (Packaging and openssl)")
    func roundTrip() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let authority = try SandboxCertificateAuthority(keySize: .bits2048)
        let receiverIdentity = try authority.issueVirksomhetssertifikat(organisationNumber: receiver, organisationName: "Mottaker",
                                                                        keySize: .bits2048)
        let container = scratch.file("container-original")
        let digest = try AltinnBrokerClientTests.writeRandomFile(container, size: 3 * 1024 * 1024 + 17)

        let packer = DPOMessagePacker(temporaryDirectory: scratch.url)
        let output = scratch.file("sbd.zip")
        try packer.pack(sbdJSON: Self.sbd, container: { sink in
            let handle = try FileHandle(forReadingFrom: container)
            defer { try? handle.close() }
            while let chunk = try handle.read(upToCount: 100_000), !chunk.isEmpty { try sink(chunk) }
        }, receiverCertificateDER: receiverIdentity.certificateDER, to: output)

        // No temporary files are left behind, and no plaintext was written to disk on the way.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: scratch.url.path).filter { $0.hasPrefix("asic-") }
        #expect(leftovers.isEmpty)

        // Independent reader: the ZIP holds exactly sbd.json and asic.zip.
        let archive = try Archive(url: output, accessMode: .read)
        #expect(archive.map(\.path).sorted() == ["asic.zip", "sbd.json"])

        let unpacked = try DPOMessageUnpacker().unpack(output, asicDestination: scratch.file("incoming.cms"))
        #expect(unpacked.sbdJSON == Self.sbd)
        let encrypted = try #require(unpacked.encryptedAsic)

        let plain = try CMS.decrypt(try Data(contentsOf: encrypted), with: try receiverIdentity.keystoreEntry())
        #expect(Data(SHA256.hash(data: plain)) == digest)

        try Data(receiverIdentity.privateKey.pemRepresentation.utf8).write(to: scratch.file("key.pem"))
        try Data(receiverIdentity.certificatePEM.utf8).write(to: scratch.file("cert.pem"))
        try Tool.run("openssl", ["cms", "-decrypt", "-inform", "DER", "-in", encrypted.path, "-inkey", scratch.file("key.pem").path,
                                 "-recip", scratch.file("cert.pem").path, "-out", scratch.file("openssl-plain").path])
        #expect(try AltinnBrokerClientTests.sha256(of: scratch.file("openssl-plain")) == digest)
        let info = try Tool.run("openssl", ["cms", "-cmsout", "-print", "-inform", "DER", "-in", encrypted.path])
        #expect(String(decoding: info, as: UTF8.self).contains("rsaesOaep"))
    }

    @Test("with Packaging's AsicWriter: the receiver decrypts a signed ASiC-E holding exactly the files sent")
    func realAsic() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let authority = try SandboxCertificateAuthority(key: try TestKeys.key("packer-ca", 2048))
        let senderIdentity = try authority.issueVirksomhetssertifikat(organisationNumber: sender, organisationName: "Avsender",
                                                                      key: try TestKeys.key("packer-sender", 2048))
        let receiverIdentity = try authority.issueVirksomhetssertifikat(organisationNumber: receiver, organisationName: "Mottaker",
                                                                        key: try TestKeys.key("packer-receiver", 2048))
        let pdf = scratch.file("vedlegg.pdf")
        _ = try AltinnBrokerClientTests.writeRandomFile(pdf, size: 2 * 1024 * 1024)
        let arkivmelding = Data("<arkivmelding/>".utf8)
        let documents = [AsicDocument(filename: "arkivmelding.xml", mimeType: "application/xml", data: arkivmelding),
                         AsicDocument(filename: "vedlegg.pdf", mimeType: "application/pdf", source: .file(pdf))]
        let manifest = EformidlingManifest(receiver: "0192:\(receiver)", sender: "0192:\(sender)",
                                           primaryDocumentFilename: "arkivmelding.xml", primaryDocumentMimeType: "application/xml")
        let output = scratch.file("sbd.zip")
        try DPOMessagePacker(temporaryDirectory: scratch.url).pack(
            sbdJSON: Self.sbd,
            container: DPOMessagePacker.asicContainer(documents: documents, manifest: manifest,
                                                      signer: try senderIdentity.keystoreEntry(), signingTime: Date()),
            receiverCertificateDER: receiverIdentity.certificateDER, to: output)

        let unpacked = try DPOMessageUnpacker().unpack(output, asicDestination: scratch.file("asic.cms"))
        let plain = try CMS.decrypt(try Data(contentsOf: try #require(unpacked.encryptedAsic)), with: try receiverIdentity.keystoreEntry())
        let reader = try AsicReader(data: plain)
        let verification = try reader.verify()
        #expect(verification.signer == senderIdentity.certificate)
        #expect(Set(reader.documents.map(\.name)) == ["manifest.xml", "arkivmelding.xml", "vedlegg.pdf"])
        #expect(try reader.data("arkivmelding.xml") == arkivmelding)
        #expect(try reader.data("vedlegg.pdf") == Data(contentsOf: pdf))
    }

    @Test("packed in memory: the same sbd.zip, the ASiC-E decrypts with openssl and verifies; a status has sbd.json only")
    func inMemory() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let authority = try SandboxCertificateAuthority(key: try TestKeys.key("packer-ca", 2048))
        let senderIdentity = try authority.issueVirksomhetssertifikat(organisationNumber: sender, organisationName: "Avsender",
                                                                      key: try TestKeys.key("packer-sender", 2048))
        let receiverIdentity = try authority.issueVirksomhetssertifikat(organisationNumber: receiver, organisationName: "Mottaker",
                                                                        key: try TestKeys.key("packer-receiver", 2048))
        let pdf = Data((0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 7919) })
        let documents = [AsicDocument(filename: "arkivmelding.xml", mimeType: "application/xml", data: Data("<arkivmelding/>".utf8)),
                         AsicDocument(filename: "vedlegg.pdf", mimeType: "application/pdf", data: pdf)]
        let packer = DPOMessagePacker(temporaryDirectory: scratch.url)
        let bytes = try packer.packInMemory(
            sbdJSON: Self.sbd,
            container: DPOMessagePacker.asicContainer(documents: documents, manifest: nil,
                                                      signer: try senderIdentity.keystoreEntry(), signingTime: Date()),
            receiverCertificateDER: receiverIdentity.certificateDER)
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.url.path).isEmpty, "no temporary file")
        let output = scratch.file("sbd.zip")
        try bytes.write(to: output)
        #expect(try Archive(url: output, accessMode: .read).map(\.path).sorted() == ["asic.zip", "sbd.json"])
        let unpacked = try DPOMessageUnpacker().unpack(output, asicDestination: scratch.file("asic.cms"))
        #expect(unpacked.sbdJSON == Self.sbd)
        let encrypted = try #require(unpacked.encryptedAsic)
        try Data(receiverIdentity.privateKey.pemRepresentation.utf8).write(to: scratch.file("key.pem"))
        try Data(receiverIdentity.certificatePEM.utf8).write(to: scratch.file("cert.pem"))
        try Tool.run("openssl", ["cms", "-decrypt", "-inform", "DER", "-in", encrypted.path, "-inkey", scratch.file("key.pem").path,
                                 "-recip", scratch.file("cert.pem").path, "-out", scratch.file("openssl-plain").path])
        let reader = try AsicReader(data: try Data(contentsOf: scratch.file("openssl-plain")))
        #expect(try reader.verify().signer == senderIdentity.certificate)
        #expect(try reader.data("vedlegg.pdf") == pdf)
        // Unpacked in memory, as a small download is: the same sbd.json and encrypted container.
        let inMemory = try DPOMessageUnpacker().unpack(bytes)
        #expect(inMemory.sbdJSON == Self.sbd)
        #expect(inMemory.encryptedAsic == (try Data(contentsOf: encrypted)))

        let status = try packer.packInMemory(sbdJSON: Self.sbd, container: nil, receiverCertificateDER: nil)
        try status.write(to: scratch.file("status.zip"))
        let statusUnpacked = try DPOMessageUnpacker().unpack(scratch.file("status.zip"), asicDestination: scratch.file("none"))
        #expect(statusUnpacked.sbdJSON == Self.sbd)
        #expect(statusUnpacked.encryptedAsic == nil)
        let statusInMemory = try DPOMessageUnpacker().unpack(status)
        #expect(statusInMemory.sbdJSON == Self.sbd)
        #expect(statusInMemory.encryptedAsic == nil)
    }

    @Test("a status message carries sbd.json only")
    func statusOnly() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let output = scratch.file("sbd.zip")
        try DPOMessagePacker(temporaryDirectory: scratch.url).packWithoutFiles(sbdJSON: Self.sbd, to: output)
        let unpacked = try DPOMessageUnpacker().unpack(output, asicDestination: scratch.file("none"))
        #expect(unpacked.sbdJSON == Self.sbd)
        #expect(unpacked.encryptedAsic == nil)
        #expect(!FileManager.default.fileExists(atPath: scratch.file("none").path))
    }

    @Test("a file that is not a ZIP, or a ZIP without sbd.json, is refused with a clear error")
    func badTransferFiles() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try Data("not a zip".utf8).write(to: scratch.file("junk"))
        #expect(throws: DPOMessageUnpacker.UnpackError.self) {
            _ = try DPOMessageUnpacker().unpack(scratch.file("junk"), asicDestination: scratch.file("a"))
        }
        #expect(throws: DPOMessageUnpacker.UnpackError.self) { _ = try DPOMessageUnpacker().unpack(Data("not a zip".utf8)) }
        let archive = try Archive(url: scratch.file("other.zip"), accessMode: .create)
        try archive.addEntry(with: "hello.txt", type: .file, uncompressedSize: Int64(5)) { (_: Int64, _: Int) in Data("hello".utf8) }
        #expect(throws: DPOMessageUnpacker.UnpackError.self) {
            _ = try DPOMessageUnpacker().unpack(scratch.file("other.zip"), asicDestination: scratch.file("a"))
        }
        #expect(throws: DPOMessageUnpacker.UnpackError.self) {
            _ = try DPOMessageUnpacker().unpack(try Data(contentsOf: scratch.file("other.zip")))
        }
    }

    @Test("an asic.zip entry that unpacks far beyond its packed size is refused as a zip bomb, leaving no file")
    func zipBombInTransferFile() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let size = 64 << 20
        let archive = try Archive(url: scratch.file("bomb.zip"), accessMode: .create)
        try archive.addEntry(with: "sbd.json", type: .file, uncompressedSize: Int64(Self.sbd.count)) { (_: Int64, _: Int) in Self.sbd }
        try archive.addEntry(with: "asic.zip", type: .file, uncompressedSize: Int64(size), compressionMethod: .deflate) {
            (_: Int64, chunk: Int) in Data(count: chunk)
        }
        let packed = try FileManager.default.attributesOfItem(atPath: scratch.file("bomb.zip").path)[.size] as? Int ?? 0
        #expect(packed < 1 << 20, "64 MB of zeros pack to \(packed) bytes")
        let error = #expect(throws: DPOMessageUnpacker.UnpackError.self) {
            _ = try DPOMessageUnpacker().unpack(scratch.file("bomb.zip"), asicDestination: scratch.file("asic.cms"))
        }
        #expect(error?.description.contains("zip bomb") == true)
        #expect(!FileManager.default.fileExists(atPath: scratch.file("asic.cms").path), "the partial file is removed")
        let inMemory = #expect(throws: DPOMessageUnpacker.UnpackError.self) {
            _ = try DPOMessageUnpacker().unpack(try Data(contentsOf: scratch.file("bomb.zip")))
        }
        #expect(inMemory?.description.contains("zip bomb") == true)
    }
}

@Test("FileSpool writes an async byte stream to a private file")
func fileSpool() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let stream = AsyncThrowingStream<[UInt8], any Error> { continuation in
        for index in 0..<10 { continuation.yield([UInt8](repeating: UInt8(index), count: 1000)) }
        continuation.finish()
    }
    let url = scratch.file("spooled")
    try await FileSpool.write(stream, to: url)
    let data = try Data(contentsOf: url)
    #expect(data.count == 10_000)
    #expect(data.last == 9)
    let permissions = try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int
    #expect(permissions == 0o600)
}
