import Crypto
import _CryptoExtras
import Foundation

/// Writes a password-protected PKCS#12 file (RFC 7292) holding one private key and its certificate chain,
/// in the shape OpenSSL 3 writes by default and Java's keytool reads:
/// a PBES2 shrouded key bag (PBKDF2-HMAC-SHA256, AES-256-CBC), unencrypted certificate bags, and an
/// HMAC-SHA-256 integrity MAC keyed with the PKCS#12 KDF.
///
/// The sandbox certificate authority uses it to hand each organisation a keystore file.
public enum PKCS12Writer {
    /// - Parameters:
    ///   - privateKeyDER: the key as PKCS#8 `PrivateKeyInfo` DER.
    ///   - certificateChainDER: leaf first, then issuers.
    ///   - alias: the friendly name of the key entry (what `difi.move.org.keystore.alias` names).
    ///   - password: the store password, also the key password.
    ///   - iterations: PBKDF2 and MAC iteration count (OpenSSL 3 uses 2048).
    public static func write(privateKeyDER: Data, certificateChainDER: [Data], alias: String, password: String,
                             iterations: Int = 2048) throws -> Data {
        let localKeyID = Array(SHA256.hash(data: certificateChainDER.first ?? Data()).prefix(20))
        let friendlyName = DERBuilder.tlv(0x1E, alias.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] })
        let keyAttributes = DERBuilder.set(of: [
            DERBuilder.sequence(DERBuilder.oid(OID.friendlyName), DERBuilder.set(of: [friendlyName])),
            DERBuilder.sequence(DERBuilder.oid(OID.localKeyID), DERBuilder.set(of: [DERBuilder.octetString(localKeyID)])),
        ])

        // The shrouded key bag: EncryptedPrivateKeyInfo under PBES2.
        let salt = randomBytes(16), iv = randomBytes(16)
        let key = try KDF.Insecure.PBKDF2.deriveKey(from: Array(password.utf8), salt: salt, using: .sha256,
                                                    outputByteCount: 32, unsafeUncheckedRounds: iterations)
        let encryptedKey = Array(try AES._CBC.encrypt(try pkcs8(privateKeyDER), using: key, iv: AES._CBC.IV(ivBytes: iv)))
        let pbes2Parameters = DERBuilder.sequence(
            DERBuilder.algorithm(OID.pbkdf2, parameters: DERBuilder.sequence(
                DERBuilder.octetString(salt), DERBuilder.integer(iterations),
                DERBuilder.algorithm(OID.hmacSHA256, parameters: DERBuilder.null))),
            DERBuilder.algorithm(OID.aes256CBC, parameters: DERBuilder.octetString(iv)))
        let encryptedPrivateKeyInfo = DERBuilder.sequence(
            DERBuilder.algorithm(OID.pbes2, parameters: pbes2Parameters), DERBuilder.octetString(encryptedKey))
        let keyBag = DERBuilder.sequence(DERBuilder.oid(OID.pkcs8ShroudedKeyBag),
                                         DERBuilder.explicit(0, encryptedPrivateKeyInfo), keyAttributes)

        // Certificate bags: the leaf carries the same localKeyID and name as the key.
        let certificateBags = certificateChainDER.enumerated().map { index, der in
            let certificateValue = DERBuilder.sequence(DERBuilder.oid(OID.x509Certificate),
                                                       DERBuilder.explicit(0, DERBuilder.octetString(Array(der))))
            return DERBuilder.sequence(DERBuilder.oid(OID.certBag), DERBuilder.explicit(0, certificateValue),
                                       index == 0 ? keyAttributes : [])
        }

        func dataContentInfo(_ content: [UInt8]) -> [UInt8] {
            DERBuilder.sequence(DERBuilder.oid(OID.data), DERBuilder.explicit(0, DERBuilder.octetString(content)))
        }
        let authenticatedSafe = DERBuilder.sequence(
            dataContentInfo(DERBuilder.sequence(of: [keyBag])),
            dataContentInfo(DERBuilder.sequence(of: certificateBags)))

        // The integrity MAC over the AuthenticatedSafe bytes.
        let macSalt = randomBytes(16)
        let macKey = PKCS12KeyDerivation.derive(password: PKCS12KeyDerivation.bmpPassword(password), salt: macSalt,
                                                iterations: iterations, purpose: .mac, length: 32, hash: .sha256)
        let mac = PKCS12KeyDerivation.Hash.sha256.hmac(key: macKey, data: authenticatedSafe)
        let macData = DERBuilder.sequence(
            DERBuilder.sequence(DERBuilder.algorithm(OID.sha256, parameters: DERBuilder.null), DERBuilder.octetString(mac)),
            DERBuilder.octetString(macSalt), DERBuilder.integer(iterations))

        return Data(DERBuilder.sequence(DERBuilder.integer(3), dataContentInfo(authenticatedSafe), macData))
    }

    /// PKCS#12 key bags hold PKCS#8; a PKCS#1 `RSAPrivateKey` (what `_RSA.Signing.PrivateKey.derRepresentation`
    /// gives) is wrapped in a `PrivateKeyInfo`.
    static func pkcs8(_ der: Data) throws -> [UInt8] {
        let node = try BERParser.parse(Array(der))
        if node.children.count > 1, node.children[1].identifier == 0x30 { return Array(der) }
        return DERBuilder.sequence(DERBuilder.integer(0), DERBuilder.algorithm(OID.rsaEncryption, parameters: DERBuilder.null),
                                   DERBuilder.octetString(Array(der)))
    }

    private static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }
}
