import Crypto
import _CryptoExtras
import Foundation

/// AES-CBC over a stream of chunks with PKCS#7 padding at the end only.
///
/// Chaining across chunks uses the last ciphertext block as the next IV; padding is added and
/// removed only at the end (`AESCBCBlockCipher` does the block work).
struct AESCBCStream: Sendable {
    enum Direction: Sendable { case encrypt, decrypt }

    private let keyBytes: [UInt8]  // SymmetricKey is not Sendable on Linux
    private let direction: Direction
    private var chainBlock: [UInt8]
    private var pending: [UInt8] = []        // input not yet a whole block
    private var heldBack: [UInt8] = []       // decrypt: the last plaintext block, padding included

    init(key: SymmetricKey, iv: [UInt8], direction: Direction) {
        self.keyBytes = key.withUnsafeBytes { Array($0) }
        self.chainBlock = iv
        self.direction = direction
    }

    mutating func update(_ input: some DataProtocol) throws -> [UInt8] {
        pending.append(contentsOf: input)
        let whole = pending.count - pending.count % 16
        guard whole > 0 else { return [] }
        let blocks = Array(pending[..<whole])
        pending.removeFirst(whole)
        switch direction {
        case .encrypt:
            return try AESCBCBlockCipher.process(blocks, key: keyBytes, iv: &chainBlock, encrypt: true)
        case .decrypt:
            let plain = try AESCBCBlockCipher.process(blocks, key: keyBytes, iv: &chainBlock, encrypt: false)
            var out = heldBack
            out.append(contentsOf: plain)
            heldBack = Array(out.suffix(16))
            out.removeLast(16)
            return out
        }
    }

    mutating func finish() throws -> [UInt8] {
        switch direction {
        case .encrypt:
            let padding = UInt8(16 - pending.count)
            let last = pending + [UInt8](repeating: padding, count: Int(padding))
            pending = []
            return try AESCBCBlockCipher.process(last, key: keyBytes, iv: &chainBlock, encrypt: true)
        case .decrypt:
            guard pending.isEmpty, heldBack.count == 16 else {
                throw CMSError.malformed("the encrypted content is not a whole number of AES blocks")
            }
            let padding = Int(heldBack[15])
            guard (1...16).contains(padding), heldBack.suffix(padding).allSatisfy({ $0 == UInt8(padding) }) else {
                throw CMSError.notForThisKey("the content did not decrypt to valid padding")
            }
            return Array(heldBack.dropLast(padding))
        }
    }
}
