import Crypto
import _CryptoExtras
import Foundation

/// Decrypts password-protected content described by an AlgorithmIdentifier: the PKCS#12
/// legacy PBE schemes (3DES, RC2) and PBES2 (PBKDF2 + AES-CBC or 3DES-CBC).
enum PasswordBasedDecryption {
    static func decrypt(_ ciphertext: [UInt8], algorithm: BERNode, password: String, context: String) throws -> [UInt8] {
        guard let oid = try algorithm.child(0).oid else { throw KeystoreError.corrupt("\(context): algorithm has no OID") }
        switch oid {
        case OID.pbeSHA3DES, OID.pbeSHARC2_40, OID.pbeSHARC2_128:
            return try decryptPKCS12PBE(ciphertext, oid: oid, parameters: try algorithm.child(1), password: password)
        case OID.pbes2:
            return try decryptPBES2(ciphertext, parameters: try algorithm.child(1), password: password, context: context)
        default:
            throw KeystoreError.unsupportedAlgorithm(oid: oid, context: context)
        }
    }

    private static func decryptPKCS12PBE(_ ciphertext: [UInt8], oid: String, parameters: BERNode, password: String) throws -> [UInt8] {
        let salt = try parameters.child(0).octets
        guard let iterations = try parameters.child(1).intValue else { throw KeystoreError.corrupt("PBE iteration count") }
        let bmp = PKCS12KeyDerivation.bmpPassword(password)
        func derive(_ purpose: PKCS12KeyDerivation.Purpose, _ length: Int) -> [UInt8] {
            PKCS12KeyDerivation.derive(password: bmp, salt: salt, iterations: iterations, purpose: purpose, length: length, hash: .sha1)
        }
        switch oid {
        case OID.pbeSHA3DES:
            return try TripleDES(key: derive(.key, 24)).decryptCBC(ciphertext, iv: derive(.iv, 8))
        case OID.pbeSHARC2_40:
            return try RC2(key: derive(.key, 5), effectiveBits: 40).decryptCBC(ciphertext, iv: derive(.iv, 8))
        default:
            return try RC2(key: derive(.key, 16), effectiveBits: 128).decryptCBC(ciphertext, iv: derive(.iv, 8))
        }
    }

    private static func decryptPBES2(_ ciphertext: [UInt8], parameters: BERNode, password: String, context: String) throws -> [UInt8] {
        let kdf = try parameters.child(0)
        let scheme = try parameters.child(1)
        guard let kdfOID = try kdf.child(0).oid, kdfOID == OID.pbkdf2 else {
            throw KeystoreError.unsupportedAlgorithm(oid: (try? kdf.child(0).oid ?? "?") ?? "?", context: "\(context) key derivation")
        }
        let kdfParameters = try kdf.child(1)
        let salt = try kdfParameters.child(0).octets
        guard let iterations = try kdfParameters.child(1).intValue else { throw KeystoreError.corrupt("PBKDF2 iteration count") }
        var prf = KDF.Insecure.PBKDF2.HashFunction.insecureSHA1
        if let prfNode = kdfParameters.children.last, prfNode.identifier == 0x30, let prfOID = try prfNode.child(0).oid {
            switch prfOID {
            case OID.hmacSHA1: prf = .insecureSHA1
            case OID.hmacSHA256: prf = .sha256
            case "1.2.840.113549.2.10": prf = .sha384
            case "1.2.840.113549.2.11": prf = .sha512
            default: throw KeystoreError.unsupportedAlgorithm(oid: prfOID, context: "\(context) PBKDF2 PRF")
            }
        }
        guard let schemeOID = try scheme.child(0).oid else { throw KeystoreError.corrupt("PBES2 encryption scheme") }
        let iv = try scheme.child(1).octets
        let keyLength: Int
        switch schemeOID {
        case OID.aes128CBC: keyLength = 16
        case OID.aes192CBC: keyLength = 24
        case OID.aes256CBC: keyLength = 32
        case OID.desEDE3CBC: keyLength = 24
        default: throw KeystoreError.unsupportedAlgorithm(oid: schemeOID, context: "\(context) PBES2 cipher")
        }
        let key = try KDF.Insecure.PBKDF2.deriveKey(from: Array(password.utf8), salt: salt, using: prf,
                                                    outputByteCount: keyLength, unsafeUncheckedRounds: iterations)
        if schemeOID == OID.desEDE3CBC {
            return try TripleDES(key: key.withUnsafeBytes { Array($0) }).decryptCBC(ciphertext, iv: iv)
        }
        do {
            return Array(try AES._CBC.decrypt(ciphertext, using: key, iv: AES._CBC.IV(ivBytes: iv)))
        } catch {
            throw KeystoreError.wrongPassword(detail: "\(context) did not decrypt")
        }
    }
}
