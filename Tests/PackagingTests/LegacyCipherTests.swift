import Foundation
import TestTools
import Testing
@testable import Packaging

@Suite("Legacy ciphers and the PKCS#12 KDF")
struct LegacyCipherTests {
    @Test("DES known-answer vector (FIPS 46 worked example)")
    func desVector() {
        let keys = TripleDES.schedule([0x13, 0x34, 0x57, 0x79, 0x9B, 0xBC, 0xDF, 0xF1])
        #expect(TripleDES.crypt(0x85E8_1354_0F0A_B405, keys, decrypt: true) == 0x0123_4567_89AB_CDEF)
        #expect(TripleDES.crypt(0x0123_4567_89AB_CDEF, keys, decrypt: false) == 0x85E8_1354_0F0A_B405)
    }

    @Test("RC2 known-answer vectors (RFC 2268 section 5)")
    func rc2Vectors() {
        #expect(RC2(key: [UInt8](repeating: 0, count: 8), effectiveBits: 63)
            .decryptBlock([0xeb, 0xb7, 0x73, 0xf9, 0x93, 0x27, 0x8e, 0xff]) == [UInt8](repeating: 0, count: 8))
        #expect(RC2(key: [0x88, 0xbc, 0xa9, 0x0e, 0x90, 0x87, 0x5a, 0x7f, 0x0f, 0x79, 0xc3, 0x84, 0x62, 0x7b, 0xaf, 0xb2], effectiveBits: 128)
            .decryptBlock([0x22, 0x69, 0x55, 0x2a, 0xb0, 0xf8, 0x5c, 0xa6]) == [UInt8](repeating: 0, count: 8))
    }

    @Test("3DES-CBC decrypts what openssl enc -des-ede3-cbc encrypts")
    func tripleDESAgainstOpenSSL() throws {
        let key = (0..<24).map { UInt8($0 * 7 + 1) }, iv: [UInt8] = [1, 2, 3, 4, 5, 6, 7, 8]
        let plain = Data("The quick brown fox jumps over the lazy dog".utf8)
        let hex = { (bytes: [UInt8]) in bytes.map { String(format: "%02x", $0) }.joined() }
        let cipher = try ExternalTool.run("openssl", ["enc", "-des-ede3-cbc", "-K", hex(key), "-iv", hex(iv)], input: plain)
        #expect(try TripleDES(key: key).decryptCBC(Array(cipher), iv: iv) == Array(plain))
    }
}

@Suite("AES-CBC backends")
struct AESCBCBackendTests {
    @Test("the BoringSSL and the portable AES-CBC paths produce the same bytes, chained across calls")
    func backendsAgree() throws {
        #expect(AESCBCBlockCipher.usesBoringSSL, "the fast AES path is not available; CMS will be slow")
        let key = (0..<32).map { UInt8($0 * 3) }
        let input = (0..<4096).map { UInt8(truncatingIfNeeded: $0 * 11) }
        for encrypt in [true, false] {
            var portableIV = [UInt8](repeating: 7, count: 16), portable: [UInt8] = []
            for start in stride(from: 0, to: input.count, by: 1024) {
                portable += try AESCBCBlockCipher.processPortably(Array(input[start..<(start + 1024)]), key: key, iv: &portableIV, encrypt: encrypt)
            }
            var fastIV = [UInt8](repeating: 7, count: 16)
            let fast = try AESCBCBlockCipher.process(input, key: key, iv: &fastIV, encrypt: encrypt)
            #expect(fast == portable)
            #expect(fastIV == portableIV)
        }
    }
}
