import Crypto
import Foundation

/// The PKCS#12 key derivation function (RFC 7292 appendix B.2), used for the legacy
/// password-based ciphers and for the MAC of every PKCS#12 file (OpenSSL 3 and Java included).
enum PKCS12KeyDerivation {
    enum Purpose: UInt8 { case key = 1, iv = 2, mac = 3 }

    enum Hash {
        case sha1, sha256, sha384, sha512

        init(oid: String) throws {
            switch oid {
            case OID.sha1: self = .sha1
            case OID.sha256: self = .sha256
            case "2.16.840.1.101.3.4.2.2": self = .sha384
            case "2.16.840.1.101.3.4.2.3": self = .sha512
            default: throw KeystoreError.unsupportedAlgorithm(oid: oid, context: "PKCS#12 MAC digest")
            }
        }

        var outputSize: Int { switch self { case .sha1: 20; case .sha256: 32; case .sha384: 48; case .sha512: 64 } }
        var blockSize: Int { switch self { case .sha1, .sha256: 64; case .sha384, .sha512: 128 } }

        func digest(_ bytes: [UInt8]) -> [UInt8] {
            switch self {
            case .sha1: Array(Insecure.SHA1.hash(data: bytes))
            case .sha256: Array(SHA256.hash(data: bytes))
            case .sha384: Array(SHA384.hash(data: bytes))
            case .sha512: Array(SHA512.hash(data: bytes))
            }
        }

        func hmac(key: [UInt8], data: [UInt8]) -> [UInt8] {
            let key = SymmetricKey(data: key)
            switch self {
            case .sha1: return Array(HMAC<Insecure.SHA1>.authenticationCode(for: data, using: key))
            case .sha256: return Array(HMAC<SHA256>.authenticationCode(for: data, using: key))
            case .sha384: return Array(HMAC<SHA384>.authenticationCode(for: data, using: key))
            case .sha512: return Array(HMAC<SHA512>.authenticationCode(for: data, using: key))
            }
        }
    }

    /// The password as PKCS#12 wants it: UTF-16 big-endian with a two-byte terminator.
    static func bmpPassword(_ password: String) -> [UInt8] {
        password.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] } + [0, 0]
    }

    static func derive(password: [UInt8], salt: [UInt8], iterations: Int, purpose: Purpose,
                       length: Int, hash: Hash) -> [UInt8] {
        let u = hash.outputSize, v = hash.blockSize
        let diversifier = [UInt8](repeating: purpose.rawValue, count: v)
        func fill(_ source: [UInt8]) -> [UInt8] {
            guard !source.isEmpty else { return [] }
            let count = v * ((source.count + v - 1) / v)
            return (0..<count).map { source[$0 % source.count] }
        }
        var input = fill(salt) + fill(password)
        var output: [UInt8] = []
        while output.count < length {
            var a = hash.digest(diversifier + input)
            for _ in 1..<max(iterations, 1) { a = hash.digest(a) }
            output += a
            guard output.count < length else { break }
            let b = (0..<v).map { a[$0 % u] }
            for blockStart in stride(from: 0, to: input.count, by: v) {
                var carry: UInt16 = 1
                for k in stride(from: v - 1, through: 0, by: -1) {
                    let sum = UInt16(input[blockStart + k]) + UInt16(b[k]) + carry
                    input[blockStart + k] = UInt8(sum & 0xFF)
                    carry = sum >> 8
                }
            }
        }
        return Array(output.prefix(length))
    }
}
