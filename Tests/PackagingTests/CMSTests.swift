import Foundation
import TestTools
import Testing
@testable import Packaging

@Suite("CMS EnvelopedData")
struct CMSTests {
    static let payload = Data((0..<200_003).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 7) })

    func opensslDecrypt(_ cms: Data, pki: TestPKI) throws -> Data {
        let input = pki.directory.path("in-\(UUID().uuidString).cms")
        try cms.write(to: URL(fileURLWithPath: input))
        return try ExternalTool.run("openssl", ["cms", "-decrypt", "-binary", "-inform", "DER", "-in", input,
                                                "-inkey", pki.keyPath, "-recip", pki.certificatePath])
    }

    func opensslEncrypt(_ plain: Data, pki: TestPKI, oaep: Bool, stream: Bool) throws -> Data {
        let input = pki.directory.path("plain-\(UUID().uuidString)")
        try plain.write(to: URL(fileURLWithPath: input))
        var arguments = ["cms", "-encrypt", "-aes256", "-binary", "-outform", "DER", "-in", input, "-recip", pki.certificatePath]
        if oaep { arguments += ["-keyopt", "rsa_padding_mode:oaep", "-keyopt", "rsa_oaep_md:sha256", "-keyopt", "rsa_mgf1_md:sha256"] }
        if stream { arguments.append("-stream") }
        return try ExternalTool.run("openssl", arguments)
    }

    /// Feeds the decryptor in uneven small chunks to exercise the incremental parser.
    func decryptInChunks(_ cms: Data, identity: PrivateKeyAndCertificate, chunkSizes: [Int] = [1, 7, 300, 4096, 65_537]) throws -> Data {
        var decryptor = CMSEnvelopedDataDecryptor(identity: identity)
        var out = Data()
        var offset = 0, turn = 0
        while offset < cms.count {
            let size = min(chunkSizes[turn % chunkSizes.count], cms.count - offset)
            out += try decryptor.update(cms[(cms.startIndex + offset)..<(cms.startIndex + offset + size)])
            offset += size; turn += 1
        }
        out += try decryptor.finish()
        return out
    }

    @Test("openssl opens our DER EnvelopedData", arguments: [KeyTransport.rsaOAEPSHA256, .rsaPKCS1v15])
    func opensslOpensOurs(keyTransport: KeyTransport) throws {
        let (pki, identity) = try SharedPKI.rsa2048
        let cms = try CMS.encrypt(Self.payload, to: identity.certificateDER, keyTransport: keyTransport)
        #expect(cms.first == 0x30 && cms[cms.startIndex + 1] != 0x80)  // definite length: DER
        #expect(try opensslDecrypt(cms, pki: pki) == Self.payload)
        let asn1 = String(decoding: try ExternalTool.run("openssl", ["asn1parse", "-inform", "DER"], input: cms), as: UTF8.self)
        #expect(asn1.contains(keyTransport == .rsaOAEPSHA256 ? "rsaesOaep" : "rsaEncryption"))
        #expect(asn1.contains("aes-256-cbc"))
    }

    @Test("a content-key cache: keys we wrap are remembered, data opens again without unwrapping, openssl agrees")
    func contentKeyCache() throws {
        let (pki, identity) = try SharedPKI.rsa2048
        let cache = ContentKeyCache(capacity: 2)
        var encryptor = try CMSEnvelopedDataEncryptor(recipientCertificateDER: identity.certificateDER,
                                                      keyTransport: .rsaOAEPSHA256, keyCache: cache)
        let cms = try encryptor.update(Self.payload) + encryptor.finish()
        #expect(cache.count == 1)
        #expect(try opensslDecrypt(cms, pki: pki) == Self.payload)
        var decryptor = CMSEnvelopedDataDecryptor(identity: identity, keyCache: cache)
        #expect(try decryptor.update(cms) + decryptor.finish() == Self.payload)

        // The cache is what opens it: a wrong key remembered for the same wrapped key gives no payload.
        let poisoned = ContentKeyCache()
        var peek = CMSEnvelopedDataDecryptor(identity: identity, keyCache: poisoned)
        _ = try peek.update(cms.prefix(2000))
        #expect(poisoned.count == 1, "an unwrapped key is remembered")
        let header = try #require(try CMSEnvelopedDataHeader.parse(Array(cms))).0
        let recipient = header.recipientInfos[0]
        poisoned.remember([UInt8](repeating: 7, count: 32), encryptedKey: try recipient.child(3).octets,
                          algorithm: try recipient.child(2).encoded)
        var fooled = CMSEnvelopedDataDecryptor(identity: identity, keyCache: poisoned)
        #expect((try? fooled.update(cms) + fooled.finish()) != Self.payload)

        // Full: the oldest key goes first.
        for _ in 0..<3 {
            _ = try CMSEnvelopedDataEncryptor(recipientCertificateDER: identity.certificateDER, keyTransport: .rsaOAEPSHA256,
                                              keyCache: cache)
        }
        #expect(cache.count == 2)
        var later = CMSEnvelopedDataDecryptor(identity: identity, keyCache: cache)
        #expect(try later.update(cms) + later.finish() == Self.payload, "forgotten keys are unwrapped again")
    }

    @Test("openssl opens our streamed (BER, indefinite length) EnvelopedData")
    func opensslOpensOurStream() throws {
        let (pki, identity) = try SharedPKI.rsa2048
        var encryptor = try CMSEnvelopedDataEncryptor(recipientCertificateDER: identity.certificateDER, keyTransport: .rsaOAEPSHA256)
        var cms = Data()
        for start in stride(from: 0, to: Self.payload.count, by: 10_000) {
            cms += try encryptor.update(Self.payload[start..<min(start + 10_000, Self.payload.count)])
        }
        cms += try encryptor.finish()
        #expect(cms.prefix(2) == Data([0x30, 0x80]))
        #expect(try opensslDecrypt(cms, pki: pki) == Self.payload)
        #expect(try decryptInChunks(cms, identity: identity) == Self.payload)
    }

    @Test("we open openssl's EnvelopedData: DER and -stream BER, OAEP and PKCS#1 v1.5",
          arguments: [(true, false), (true, true), (false, false), (false, true)])
    func weOpenOpenSSL(oaep: Bool, stream: Bool) throws {
        let (pki, identity) = try SharedPKI.rsa2048
        let cms = try opensslEncrypt(Self.payload, pki: pki, oaep: oaep, stream: stream)
        if stream { #expect(cms.prefix(2) == Data([0x30, 0x80])) }
        #expect(try decryptInChunks(cms, identity: identity) == Self.payload)
        #expect(try CMS.decrypt(cms, with: identity) == Self.payload)
    }

    @Test("empty and block-sized payloads round-trip through openssl")
    func edgeSizes() throws {
        let (pki, identity) = try SharedPKI.rsa2048
        for size in [0, 1, 15, 16, 17, 32] {
            let plain = Data(repeating: 0x41, count: size)
            #expect(try opensslDecrypt(try CMS.encrypt(plain, to: identity.certificateDER), pki: pki) == plain)
            #expect(try CMS.decrypt(try opensslEncrypt(plain, pki: pki, oaep: true, stream: true), with: identity) == plain)
        }
    }

    @Test("a message for another certificate is refused with a clear error")
    func wrongRecipient() throws {
        let (_, identity) = try SharedPKI.rsa2048
        let other = try TestPKI.make(bits: 2048).identity()
        let cms = try CMS.encrypt(Data("hei".utf8), to: other.certificateDER)
        let error = #expect(throws: CMSError.self) { try CMS.decrypt(cms, with: identity) }
        #expect(error?.description.contains("not encrypted to our certificate") == true)
    }

    @Test("a declared length that does not match is refused")
    func lengthMismatch() throws {
        let (_, identity) = try SharedPKI.rsa2048
        var encryptor = try CMSEnvelopedDataEncryptor(recipientCertificateDER: identity.certificateDER, keyTransport: .rsaOAEPSHA256, plaintextLength: 10)
        _ = try encryptor.update(Data(count: 5))
        #expect(throws: CMSError.lengthMismatch(expected: 10, actual: 5)) { try encryptor.finish() }
    }
}

@Suite("Larger keys")
struct LargeKeyTests {
    @Test("a 4096-bit key from PKCS#12 works for both key transports, checked by openssl")
    func rsa4096() throws {
        let pki = try TestPKI.make(bits: 4096)
        let p12 = pki.directory.path("k.p12")
        try ExternalTool.run("openssl", ["pkcs12", "-export", "-inkey", pki.keyPath, "-in", pki.certificatePath,
                                         "-name", "big", "-out", p12, "-passout", "pass:pw"])
        let identity = try Keystore.load(contentsOf: URL(fileURLWithPath: p12), type: .pkcs12, password: "pw", alias: "big")
        #expect(identity.signingKey.keySizeInBits == 4096)
        let tests = CMSTests()
        for keyTransport in [KeyTransport.rsaOAEPSHA256, .rsaPKCS1v15] {
            let cms = try CMS.encrypt(CMSTests.payload, to: identity.certificateDER, keyTransport: keyTransport)
            #expect(try tests.opensslDecrypt(cms, pki: pki) == CMSTests.payload)
            #expect(try CMS.decrypt(cms, with: identity) == CMSTests.payload)
        }
    }
}

@Suite("CMS BER forms")
struct CMSBERFormTests {
    @Test("nested constructed OCTET STRING segments inside the encrypted content are read")
    func nestedSegments() throws {
        let (_, identity) = try SharedPKI.rsa2048
        var encryptor = try CMSEnvelopedDataEncryptor(recipientCertificateDER: identity.certificateDER, keyTransport: .rsaPKCS1v15)
        var ber = Array(try encryptor.update(CMSTests.payload))
        ber += try encryptor.finish()
        let (_, headerLength) = try #require(try CMSEnvelopedDataHeader.parse(ber))
        // Wrap the first two primitive segments in a constructed, indefinite-length OCTET STRING.
        var cursor = headerLength
        for _ in 0..<2 {
            let header = try #require(try BERParser.readHeader(ber[cursor...]))
            #expect(header.identifier == 0x04)
            cursor += header.headerLength + header.length!
        }
        let nested = Array(ber[..<headerLength]) + [0x24, 0x80] + Array(ber[headerLength..<cursor]) + [0, 0] + Array(ber[cursor...])
        #expect(try CMS.decrypt(Data(nested), with: identity) == CMSTests.payload)
        var decryptor = CMSEnvelopedDataDecryptor(identity: identity)
        var out = Data()
        for start in stride(from: 0, to: nested.count, by: 333) {
            out += try decryptor.update(nested[start..<min(start + 333, nested.count)])
        }
        out += try decryptor.finish()
        #expect(out == CMSTests.payload)
    }

    @Test("truncated input is reported, not silently accepted")
    func truncated() throws {
        let (_, identity) = try SharedPKI.rsa2048
        let cms = try CMS.encrypt(CMSTests.payload, to: identity.certificateDER)
        #expect(throws: CMSError.malformed("the input ended inside the encrypted content")) {
            try CMS.decrypt(cms.prefix(cms.count - 100), with: identity)
        }
        #expect(throws: CMSError.malformed("the input ended inside the CMS header")) {
            try CMS.decrypt(cms.prefix(40), with: identity)
        }
    }
}
