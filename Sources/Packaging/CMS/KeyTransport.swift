import Crypto
import _CryptoExtras
import Foundation

/// How the content-encryption key reaches the recipient (RFC 5652 KeyTransRecipientInfo).
public enum KeyTransport: Sendable, Equatable {
    /// RSAES-OAEP with SHA-256 and MGF1-SHA-256, empty label: DPO, DPF, DPI, DPH.
    case rsaOAEPSHA256
    /// RSAES-PKCS1-v1_5: DPE, and at-rest encryption with some keystores.
    case rsaPKCS1v15

    /// The keyEncryptionAlgorithm written into the recipient info.
    var algorithmIdentifier: [UInt8] {
        switch self {
        case .rsaOAEPSHA256:
            let sha256 = DERBuilder.algorithm(OID.sha256, parameters: DERBuilder.null)
            let parameters = DERBuilder.sequence(
                DERBuilder.explicit(0, sha256),
                DERBuilder.explicit(1, DERBuilder.algorithm(OID.mgf1, parameters: sha256)))
            return DERBuilder.algorithm(OID.rsaesOAEP, parameters: parameters)
        case .rsaPKCS1v15:
            return DERBuilder.algorithm(OID.rsaEncryption, parameters: DERBuilder.null)
        }
    }

    /// Encrypts the content-encryption key to the recipient's public key (SubjectPublicKeyInfo DER).
    func wrap(_ key: [UInt8], subjectPublicKeyInfo: [UInt8]) throws -> [UInt8] {
        switch self {
        case .rsaOAEPSHA256:
            let publicKey = try _RSA.Encryption.PublicKey(derRepresentation: subjectPublicKeyInfo)
            return Array(try publicKey.encrypt(key, padding: .PKCS1_OAEP_SHA256))
        case .rsaPKCS1v15:
            let primitives = try _RSA.Signing.PublicKey(derRepresentation: subjectPublicKeyInfo).getKeyPrimitives()
            let operation = RSARawPublicOperation(modulus: Array(primitives.modulus), exponent: Array(primitives.publicExponent))
            let paddingLength = operation.modulusByteCount - key.count - 3
            guard paddingLength >= 8 else { throw CMSError.unsupported("an RSA key too small for PKCS#1 v1.5 key transport") }
            var padding = [UInt8]()
            while padding.count < paddingLength {
                padding += SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }.filter { $0 != 0 }
            }
            return operation.apply([0, 2] + padding.prefix(paddingLength) + [0] + key)
        }
    }

    /// Decrypts an encrypted content-encryption key with the algorithm named in the recipient info.
    static func unwrap(_ encryptedKey: [UInt8], algorithm: BERNode, identity: PrivateKeyAndCertificate) throws -> [UInt8] {
        let oid = try algorithm.child(0).oid ?? "?"
        switch oid {
        case OID.rsaEncryption:
            let key = try _RSA.BlindSigning.PrivateKey<SHA384>(derRepresentation: identity.privateKeyDER)
            let raw: [UInt8]
            do {
                raw = Array(try key.blindSignature(for: encryptedKey).rawRepresentation)
            } catch {
                // A key encrypted to another certificate is, as a number, larger than our modulus about half the
                // time, which the raw operation refuses: that, too, means "not for this key".
                throw CMSError.notForThisKey("the PKCS#1 v1.5 encrypted key did not decrypt (\(error))")
            }
            // EM = 00 || 02 || PS (at least 8 non-zero bytes) || 00 || key
            guard raw.count > 11, raw[0] == 0, raw[1] == 2, let separator = raw[2...].firstIndex(of: 0), separator >= 10 else {
                throw CMSError.notForThisKey("the PKCS#1 v1.5 encrypted key did not decrypt")
            }
            return Array(raw[(separator + 1)...])
        case OID.rsaesOAEP:
            let padding = try oaepPadding(algorithm.children.count > 1 ? try algorithm.child(1) : nil)
            do {
                return Array(try identity.decryptionKey.decrypt(encryptedKey, padding: padding))
            } catch {
                throw CMSError.notForThisKey("the RSA-OAEP encrypted key did not decrypt")
            }
        default:
            throw CMSError.unsupported("key transport algorithm \(oid)")
        }
    }

    /// Maps RSAES-OAEP-params to what swift-crypto offers (the MGF1 hash equals the OAEP hash there).
    private static func oaepPadding(_ parameters: BERNode?) throws -> _RSA.Encryption.Padding {
        var hash = OID.sha1, mgfHash = OID.sha1
        for field in parameters?.children ?? [] {
            switch field.identifier {
            case 0xA0: hash = try field.child(0).child(0).oid ?? hash
            case 0xA1: mgfHash = try field.child(0).child(1).child(0).oid ?? mgfHash
            case 0xA2:
                let label = try field.child(0)
                if label.children.count > 1, !(try label.child(1).octets.isEmpty) {
                    throw CMSError.unsupported("RSA-OAEP with a non-empty label")
                }
            default: continue
            }
        }
        switch (hash, mgfHash) {
        case (OID.sha256, OID.sha256): return .PKCS1_OAEP_SHA256
        case (OID.sha1, OID.sha1): return .PKCS1_OAEP
        default: throw CMSError.unsupported("RSA-OAEP with digest \(hash) and MGF1 digest \(mgfHash) (supported: SHA-256/SHA-256, SHA-1/SHA-1)")
        }
    }
}

/// Why CMS data could not be made or opened.
public enum CMSError: Error, Sendable, Equatable, CustomStringConvertible {
    case malformed(String)
    case notForThisKey(String)
    case unsupported(String)
    case lengthMismatch(expected: Int, actual: Int)
    case headerTooLarge(Int)

    public var description: String {
        switch self {
        case .malformed(let detail):
            return "The CMS data is damaged or not EnvelopedData (\(detail)). Ask the sender to send it again."
        case .notForThisKey(let detail):
            return "The message was not encrypted to our certificate (\(detail)). Check that the sender used the certificate registered for our organisation, and that difi.move.org.keystore holds its key."
        case .unsupported(let detail):
            return "Unsupported CMS feature: \(detail). Ask the sender to use AES-CBC with RSA-OAEP (SHA-256) or PKCS#1 v1.5."
        case .lengthMismatch(let expected, let actual):
            return "The encryptor was told the payload is \(expected) bytes but received \(actual). Pass the exact length, or nil to stream with indefinite lengths."
        case .headerTooLarge(let size):
            return "The CMS header is larger than \(size) bytes; refusing to buffer it. The input is probably not CMS."
        }
    }
}
