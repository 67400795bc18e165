import Channels
import Crypto
import Foundation
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
        try packer.pack(sbdJSON: Self.sbd, container: { destination in
            try FileManager.default.copyItem(at: container, to: destination)
        }, receiverCertificateDER: receiverIdentity.certificateDER, to: output)

        // No temporary files are left behind.
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
        let archive = try Archive(url: scratch.file("other.zip"), accessMode: .create)
        try archive.addEntry(with: "hello.txt", type: .file, uncompressedSize: Int64(5)) { (_: Int64, _: Int) in Data("hello".utf8) }
        #expect(throws: DPOMessageUnpacker.UnpackError.self) {
            _ = try DPOMessageUnpacker().unpack(scratch.file("other.zip"), asicDestination: scratch.file("a"))
        }
    }
}
