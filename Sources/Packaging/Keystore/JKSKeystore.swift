import Crypto
import Foundation

/// Reads Sun's proprietary JKS format (`keytool -storetype JKS`): a SHA-1 integrity digest keyed with
/// the password and "Mighty Aphrodite", and private keys protected by a SHA-1 keystream.
struct JKSKeystore {
    struct KeyEntry { var alias: String; var protectedKey: [UInt8]; var chain: [[UInt8]] }

    private(set) var keyEntries: [KeyEntry] = []
    private(set) var trustedCertificates: [(alias: String, der: [UInt8])] = []
    private let password: [UInt8]

    static func looksLikeJKS(_ bytes: [UInt8]) -> Bool { bytes.starts(with: [0xFE, 0xED, 0xFE, 0xED]) }

    init(_ bytes: [UInt8], password: String) throws {
        self.password = password.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        if bytes.starts(with: [0xCE, 0xCE, 0xCE, 0xCE]) {
            throw KeystoreError.unsupportedAlgorithm(oid: "JCEKS", context: "the keystore format; convert it with keytool -importkeystore -deststoretype PKCS12")
        }
        guard Self.looksLikeJKS(bytes), bytes.count > 32 else { throw KeystoreError.corrupt("not a JKS file (no FEEDFEED magic)") }
        let body = bytes.dropLast(20)
        let digest = Insecure.SHA1.hash(data: self.password + Array("Mighty Aphrodite".utf8) + body)
        guard Array(digest) == Array(bytes.suffix(20)) else {
            throw KeystoreError.wrongPassword(detail: "the JKS integrity check failed")
        }
        var reader = ByteReader(bytes: Array(body))
        reader.offset = 4
        let version = try reader.u32()
        guard version == 1 || version == 2 else { throw KeystoreError.corrupt("JKS version \(version)") }
        for _ in 0..<(try reader.u32()) {
            let tag = try reader.u32()
            let alias = try reader.utf()
            _ = try reader.take(8)  // creation date
            switch tag {
            case 1:
                let key = try reader.take(Int(try reader.u32()))
                var chain: [[UInt8]] = []
                for _ in 0..<(try reader.u32()) {
                    if version == 2 { _ = try reader.utf() }
                    chain.append(try reader.take(Int(try reader.u32())))
                }
                keyEntries.append(KeyEntry(alias: alias, protectedKey: key, chain: chain))
            case 2:
                if version == 2 { _ = try reader.utf() }
                trustedCertificates.append((alias, try reader.take(Int(try reader.u32()))))
            default:
                throw KeystoreError.corrupt("JKS entry type \(tag) for '\(alias)'")
            }
        }
    }

    func entry(alias: String?) throws -> KeystoreEntry {
        let all = keyEntries.map(\.alias) + trustedCertificates.map(\.alias)
        guard !keyEntries.isEmpty else { throw KeystoreError.noPrivateKey(available: all) }
        let wanted: KeyEntry
        if let alias, !alias.isEmpty {
            // keytool stores aliases in lower case.
            guard let found = keyEntries.first(where: { $0.alias.caseInsensitiveCompare(alias) == .orderedSame }) else {
                throw KeystoreError.aliasNotFound(alias: alias, available: all)
            }
            wanted = found
        } else {
            wanted = keyEntries[0]
        }
        return KeystoreEntry(alias: wanted.alias, privateKeyInfo: try recoverKey(wanted.protectedKey, alias: wanted.alias),
                             leafCertificate: wanted.chain.first,
                             otherCertificates: wanted.chain + trustedCertificates.map(\.der))
    }

    private func recoverKey(_ encryptedPrivateKeyInfo: [UInt8], alias: String) throws -> [UInt8] {
        let info = try BERParser.parse(encryptedPrivateKeyInfo)
        let oid = try info.child(0).child(0).oid ?? "?"
        guard oid == OID.sunJKSKeyProtector else {
            throw KeystoreError.unsupportedAlgorithm(oid: oid, context: "the JKS key protection of '\(alias)'")
        }
        let protected = try info.child(1).octets
        guard protected.count > 40 else { throw KeystoreError.corrupt("JKS key of '\(alias)' is too short") }
        let salt = Array(protected.prefix(20))
        let encrypted = Array(protected[20..<(protected.count - 20)])
        var plain = [UInt8](repeating: 0, count: encrypted.count)
        var digest = salt
        for blockStart in stride(from: 0, to: encrypted.count, by: 20) {
            digest = Array(Insecure.SHA1.hash(data: password + digest))
            for i in blockStart..<min(blockStart + 20, encrypted.count) { plain[i] = encrypted[i] ^ digest[i - blockStart] }
        }
        guard Array(Insecure.SHA1.hash(data: password + plain)) == Array(protected.suffix(20)) else {
            throw KeystoreError.wrongPassword(detail: "the key password of '\(alias)' differs from the store password")
        }
        return plain
    }
}

/// Big-endian reads for the JKS format.
struct ByteReader {
    let bytes: [UInt8]
    var offset = 0

    mutating func take(_ count: Int) throws -> [UInt8] {
        guard count >= 0, bytes.count - offset >= count else { throw KeystoreError.corrupt("JKS file ends early at byte \(offset)") }
        defer { offset += count }
        return Array(bytes[offset..<(offset + count)])
    }
    mutating func u32() throws -> UInt32 { try take(4).reduce(0) { ($0 << 8) | UInt32($1) } }
    mutating func utf() throws -> String {
        let length = try take(2).reduce(0) { ($0 << 8) | Int($1) }
        return String(decoding: try take(length), as: UTF8.self)
    }
}
