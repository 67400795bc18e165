import Foundation
import Packaging
import Testing
@testable import Engine
import Storage
import TestSupport

@Suite("Encryption at rest: stored payloads are CMS to our own certificate")
struct EncryptionAtRestTests {
    @Test("A stored file is CMS that openssl opens with our key, and the vault streams the plaintext back")
    func crossCheckedWithOpenSSL() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let (key, certificate) = try OpenSSL.makeKeyAndCertificate(in: folder)
        let identity = try Keystore.loadPEM(privateKey: Data(contentsOf: key), certificateChain: Data(contentsOf: certificate))
        let store = try FilePayloadStore(root: folder.appendingPathComponent("messages"))
        let vault = PayloadVault(store: store, cipher: CMSPayloadCipher(identity: identity))
        let plaintext = (0..<600_000).map { UInt8(($0 * 7) % 256) }
        let size = try await vault.write(messageId: "m1", key: "f1", chunks: Chunks(plaintext, size: 65_536))
        #expect(size == Int64(plaintext.count))

        let stored = folder.appendingPathComponent("messages/m1/f1")
        let raw = try Data(contentsOf: stored)
        #expect(raw.count > plaintext.count)
        #expect(raw.range(of: Data(plaintext.prefix(64))) == nil, "nothing of the plaintext is on disk")
        let opened = folder.appendingPathComponent("opened")
        try OpenSSL.run(["cms", "-decrypt", "-binary", "-inform", "DER", "-in", stored.path, "-inkey", key.path,
                         "-recip", certificate.path, "-out", opened.path])
        #expect(try Data(contentsOf: opened) == Data(plaintext))

        var read: [UInt8] = []
        for try await chunk in try vault.open(messageId: "m1", key: "f1") { read += chunk }
        #expect(read == plaintext)
    }

    @Test("An incoming container sealed by the sender with openssl is opened on pop")
    func opensSenderSealedContainers() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let (key, certificate) = try OpenSSL.makeKeyAndCertificate(in: folder)
        let identity = try Keystore.loadPEM(privateKey: Data(contentsOf: key), certificateChain: Data(contentsOf: certificate))
        let plain = folder.appendingPathComponent("asic.zip")
        try Data("PK container from the sender".utf8).write(to: plain)
        let sealed = folder.appendingPathComponent("sealed.cms")
        try OpenSSL.run(["cms", "-encrypt", "-binary", "-aes256", "-outform", "DER", "-in", plain.path, "-out", sealed.path,
                         "-recip", certificate.path, "-keyopt", "rsa_padding_mode:oaep", "-keyopt", "rsa_oaep_md:sha256",
                         "-keyopt", "rsa_mgf1_md:sha256"])
        let vault = PayloadVault(store: try FilePayloadStore(root: folder.appendingPathComponent("messages")),
                                 cipher: PlainPayloadCipher(), containerCipher: CMSPayloadCipher(identity: identity))
        _ = try await vault.writeSealed(messageId: "in1", key: "asic.zip", chunks: Chunks([UInt8](try Data(contentsOf: sealed))))
        var read: [UInt8] = []
        for try await chunk in try vault.openContainer(messageId: "in1", key: "asic.zip") { read += chunk }
        #expect(Data(read) == (try Data(contentsOf: plain)))
    }
}
