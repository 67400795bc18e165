import Foundation

/// The raw RSA public operation `m^e mod n` (Montgomery multiplication on 32-bit limbs).
///
/// swift-crypto 3 offers RSA encryption only with OAEP padding, but DPE and at-rest encryption need
/// PKCS#1 v1.5 key transport; this small, public-key-only piece (no secrets involved) fills the gap.
struct RSARawPublicOperation {
    private let modulus: [UInt32]   // little-endian limbs
    private let exponent: [UInt8]   // big-endian
    private let n0inv: UInt32
    let modulusByteCount: Int

    init(modulus: [UInt8], exponent: [UInt8]) {
        let trimmed = Array(modulus.drop { $0 == 0 })
        modulusByteCount = trimmed.count
        self.modulus = Self.limbs(trimmed, count: (trimmed.count + 3) / 4)
        self.exponent = exponent
        var inverse: UInt32 = 1  // Newton iteration for n[0]^-1 mod 2^32
        for _ in 0..<5 { inverse = inverse &* (2 &- self.modulus[0] &* inverse) }
        n0inv = 0 &- inverse
    }

    /// `message^e mod n` for a big-endian `message` shorter than the modulus; big-endian result of modulus length.
    func apply(_ message: [UInt8]) -> [UInt8] {
        let k = modulus.count
        var r2 = [UInt32](repeating: 0, count: k)
        r2[0] = 1
        for _ in 0..<(64 * k) { r2 = doubleMod(r2) }  // R^2 mod n
        let base = montgomeryMultiply(Self.limbs(message, count: k), r2)
        var result = montgomeryMultiply([1] + [UInt32](repeating: 0, count: k - 1), r2)  // R mod n
        for byte in exponent {
            for bit in stride(from: 7, through: 0, by: -1) {
                result = montgomeryMultiply(result, result)
                if (byte >> UInt8(bit)) & 1 == 1 { result = montgomeryMultiply(result, base) }
            }
        }
        result = montgomeryMultiply(result, [1] + [UInt32](repeating: 0, count: k - 1))
        let bytes = result.reversed().flatMap { limb in (0..<4).reversed().map { UInt8((limb >> UInt32($0 * 8)) & 0xFF) } }
        return Array(bytes.suffix(modulusByteCount))
    }

    static func limbs(_ bigEndian: [UInt8], count: Int) -> [UInt32] {
        var limbs = [UInt32](repeating: 0, count: count)
        for (index, byte) in bigEndian.reversed().enumerated() where index / 4 < count {
            limbs[index / 4] |= UInt32(byte) << UInt32((index % 4) * 8)
        }
        return limbs
    }

    private func doubleMod(_ a: [UInt32]) -> [UInt32] {
        var out = [UInt32](repeating: 0, count: a.count)
        var carry: UInt32 = 0
        for i in 0..<a.count { out[i] = (a[i] << 1) | carry; carry = a[i] >> 31 }
        if carry == 1 || !isLess(out, modulus) { out = subtract(out, modulus) }
        return out
    }

    private func isLess(_ a: [UInt32], _ b: [UInt32]) -> Bool {
        for i in stride(from: a.count - 1, through: 0, by: -1) where a[i] != b[i] { return a[i] < b[i] }
        return false
    }

    private func subtract(_ a: [UInt32], _ b: [UInt32]) -> [UInt32] {
        var out = [UInt32](repeating: 0, count: b.count)
        var borrow: Int64 = 0
        for i in 0..<b.count {
            let difference = Int64(a[i]) - Int64(b[i]) - borrow
            out[i] = UInt32(truncatingIfNeeded: difference)
            borrow = difference < 0 ? 1 : 0
        }
        return out
    }

    /// CIOS Montgomery product a·b·R⁻¹ mod n.
    private func montgomeryMultiply(_ a: [UInt32], _ b: [UInt32]) -> [UInt32] {
        let k = modulus.count
        var t = [UInt64](repeating: 0, count: k + 2)
        for i in 0..<k {
            var carry: UInt64 = 0
            for j in 0..<k {
                let sum = t[j] + UInt64(a[j]) * UInt64(b[i]) + carry
                t[j] = sum & 0xFFFF_FFFF; carry = sum >> 32
            }
            var sum = t[k] + carry
            t[k] = sum & 0xFFFF_FFFF; t[k + 1] = sum >> 32
            let m = UInt64(UInt32(truncatingIfNeeded: t[0]) &* n0inv)
            sum = t[0] + m * UInt64(modulus[0]); carry = sum >> 32
            for j in 1..<k {
                sum = t[j] + m * UInt64(modulus[j]) + carry
                t[j - 1] = sum & 0xFFFF_FFFF; carry = sum >> 32
            }
            sum = t[k] + carry
            t[k - 1] = sum & 0xFFFF_FFFF
            t[k] = t[k + 1] + (sum >> 32)
        }
        var result = (0..<k).map { UInt32(t[$0]) }
        if t[k] != 0 || !isLess(result, modulus) { result = subtract(result, modulus) }
        return result
    }
}
