import Crypto
import Foundation

/// Reads PKCS#12 files (RFC 7292) as OpenSSL 3, `openssl pkcs12 -legacy` and Java's keytool write them.
struct PKCS12Keystore {
    struct Bag {
        var friendlyName: String?
        var localKeyID: [UInt8]?
        var value: [UInt8]  // PKCS#8 PrivateKeyInfo for keys, DER certificate for certificates
    }

    private(set) var keys: [Bag] = []
    private(set) var certificates: [Bag] = []

    init(_ bytes: [UInt8], password: String) throws {
        let pfx: BERNode
        do { pfx = try BERParser.parse(bytes) } catch {
            throw KeystoreError.corrupt("not a PKCS#12 file: \(error)")
        }
        guard pfx.children.count >= 2, try pfx.child(0).intValue == 3 else {
            throw KeystoreError.corrupt("not a PKCS#12 version 3 PFX")
        }
        let authSafe = try pfx.child(1)
        guard try authSafe.child(0).oid == OID.data else {
            throw KeystoreError.unsupportedAlgorithm(oid: try authSafe.child(0).oid ?? "?", context: "PKCS#12 public-key integrity mode")
        }
        let authSafeContent = try authSafe.child(1).child(0).octets
        if pfx.children.count > 2 {
            try Self.verifyMAC(try pfx.child(2), content: authSafeContent, password: password)
        }
        for contentInfo in try BERParser.parse(authSafeContent).children {
            try readContentInfo(contentInfo, password: password)
        }
    }

    private static func verifyMAC(_ macData: BERNode, content: [UInt8], password: String) throws {
        let digestInfo = try macData.child(0)
        guard let digestOID = try digestInfo.child(0).child(0).oid else { throw KeystoreError.corrupt("MAC algorithm") }
        if digestOID == "1.2.840.113549.1.5.14" {
            throw KeystoreError.unsupportedAlgorithm(oid: digestOID, context: "PKCS#12 MAC")
        }
        let hash = try PKCS12KeyDerivation.Hash(oid: digestOID)
        let expected = try digestInfo.child(1).octets
        let salt = try macData.child(1).octets
        let iterations = macData.children.count > 2 ? (try macData.child(2).intValue ?? 1) : 1
        let key = PKCS12KeyDerivation.derive(password: PKCS12KeyDerivation.bmpPassword(password), salt: salt,
                                             iterations: iterations, purpose: .mac, length: hash.outputSize, hash: hash)
        guard hash.hmac(key: key, data: content) == expected else {
            throw KeystoreError.wrongPassword(detail: "the PKCS#12 integrity check (MAC) failed")
        }
    }

    private mutating func readContentInfo(_ contentInfo: BERNode, password: String) throws {
        guard let type = try contentInfo.child(0).oid else { throw KeystoreError.corrupt("content type") }
        switch type {
        case OID.data:
            try readSafeContents(try contentInfo.child(1).child(0).octets, password: password)
        case OID.encryptedData:
            let encryptedContentInfo = try contentInfo.child(1).child(0).child(1)
            let algorithm = try encryptedContentInfo.child(1)
            let ciphertext = try encryptedContentInfo.child(2).octets
            let plain = try PasswordBasedDecryption.decrypt(ciphertext, algorithm: algorithm, password: password,
                                                            context: "PKCS#12 encrypted certificate bag")
            try readSafeContents(plain, password: password)
        default:
            throw KeystoreError.unsupportedAlgorithm(oid: type, context: "PKCS#12 content (only data and encryptedData are supported)")
        }
    }

    private mutating func readSafeContents(_ bytes: [UInt8], password: String) throws {
        let safeContents: BERNode
        do { safeContents = try BERParser.parse(bytes) } catch {
            throw KeystoreError.wrongPassword(detail: "decrypted content is not readable")
        }
        for bag in safeContents.children {
            guard let bagType = try bag.child(0).oid else { continue }
            let value = try bag.child(1).child(0)
            var entry = Bag(value: [])
            if bag.children.count > 2 { Self.readAttributes(try bag.child(2), into: &entry) }
            switch bagType {
            case OID.keyBag:
                entry.value = Array(value.encoded)
                keys.append(entry)
            case OID.pkcs8ShroudedKeyBag:
                entry.value = try PasswordBasedDecryption.decrypt(try value.child(1).octets, algorithm: try value.child(0),
                                                                  password: password, context: "PKCS#12 private key")
                keys.append(entry)
            case OID.certBag:
                guard try value.child(0).oid == OID.x509Certificate else { continue }
                entry.value = try value.child(1).child(0).octets
                certificates.append(entry)
            default:
                continue  // CRL and secret bags are not needed
            }
        }
    }

    private static func readAttributes(_ attributes: BERNode, into bag: inout Bag) {
        for attribute in attributes.children {
            guard let oid = try? attribute.child(0).oid, let value = try? attribute.child(1).child(0) else { continue }
            if oid == OID.friendlyName {
                let units = stride(from: 0, to: value.content.count - 1, by: 2).map {
                    UInt16(value.content[value.content.startIndex + $0]) << 8 | UInt16(value.content[value.content.startIndex + $0 + 1])
                }
                bag.friendlyName = String(decoding: units, as: UTF16.self)
            } else if oid == OID.localKeyID {
                bag.localKeyID = value.octets
            }
        }
    }

    /// Key entries are named by their friendlyName, or by their position when they have none.
    var keyAliases: [String] { keys.enumerated().map { $0.element.friendlyName ?? String($0.offset + 1) } }

    /// The key entry for `alias`, with its certificate and the rest of the chain found in the file.
    func entry(alias: String?) throws -> KeystoreEntry {
        let names = keyAliases
        let index: Int
        if let alias, !alias.isEmpty {
            if let found = names.firstIndex(where: { $0.caseInsensitiveCompare(alias) == .orderedSame }) {
                index = found
            } else if keys.count == 1 && keys[0].friendlyName == nil {
                index = 0  // OpenSSL without -name: no alias to compare against
            } else if keys.isEmpty {
                throw KeystoreError.noPrivateKey(available: certificates.compactMap(\.friendlyName))
            } else {
                throw KeystoreError.aliasNotFound(alias: alias, available: names)
            }
        } else {
            guard !keys.isEmpty else { throw KeystoreError.noPrivateKey(available: certificates.compactMap(\.friendlyName)) }
            index = 0
        }
        let key = keys[index]
        let leaf = certificates.first { $0.localKeyID != nil && $0.localKeyID == key.localKeyID }
            ?? certificates.first { key.friendlyName != nil && $0.friendlyName == key.friendlyName }
        return KeystoreEntry(alias: names[index], privateKeyInfo: key.value,
                             leafCertificate: leaf?.value, otherCertificates: certificates.map(\.value))
    }
}
