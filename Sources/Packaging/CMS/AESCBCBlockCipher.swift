import Crypto
import _CryptoExtras
import Foundation
#if canImport(CCryptoBoringSSL)
internal import CCryptoBoringSSL
#endif

/// AES-CBC without padding over whole blocks, chaining through `iv` (updated to the last ciphertext block).
///
/// swift-crypto's public `AES._CBC` expands the key for every 16-byte block, which caps CMS at
/// about 15 MB/s. BoringSSL — which swift-crypto builds and links anyway — has `AES_cbc_encrypt`
/// with the hardware AES path; its module is reachable here as a transitive dependency, though not
/// a declared product. If a toolchain stops exposing it, the portable path takes over (same bytes,
/// checked by a test), only slower.
enum AESCBCBlockCipher {
    static var usesBoringSSL: Bool {
        #if canImport(CCryptoBoringSSL)
        return true
        #else
        return false
        #endif
    }

    static func process(_ input: [UInt8], key: [UInt8], iv: inout [UInt8], encrypt: Bool) throws -> [UInt8] {
        #if canImport(CCryptoBoringSSL)
        return try processWithBoringSSL(input, key: key, iv: &iv, encrypt: encrypt)
        #else
        return try processPortably(input, key: key, iv: &iv, encrypt: encrypt)
        #endif
    }

    #if canImport(CCryptoBoringSSL)
    static func processWithBoringSSL(_ input: [UInt8], key: [UInt8], iv: inout [UInt8], encrypt: Bool) throws -> [UInt8] {
        precondition(input.count % 16 == 0 && iv.count == 16)
        var schedule = AES_KEY()
        let bits = UInt32(key.count * 8)
        let status = encrypt ? CCryptoBoringSSL_AES_set_encrypt_key(key, bits, &schedule)
                             : CCryptoBoringSSL_AES_set_decrypt_key(key, bits, &schedule)
        guard status == 0 else { throw CMSError.malformed("an AES key of \(key.count) bytes") }
        var output = [UInt8](repeating: 0, count: input.count)
        CCryptoBoringSSL_AES_cbc_encrypt(input, &output, input.count, &schedule, &iv, encrypt ? AES_ENCRYPT : AES_DECRYPT)
        return output
    }
    #endif

    static func processPortably(_ input: [UInt8], key: [UInt8], iv: inout [UInt8], encrypt: Bool) throws -> [UInt8] {
        let symmetricKey = SymmetricKey(data: key)
        let output: [UInt8]
        if encrypt {
            output = Array(try AES._CBC.encrypt(input, using: symmetricKey, iv: .init(ivBytes: iv), noPadding: true))
            iv = Array(output.suffix(16))
        } else {
            output = Array(try AES._CBC.decrypt(input, using: symmetricKey, iv: .init(ivBytes: iv), noPadding: true))
            iv = Array(input.suffix(16))
        }
        return output
    }
}
