import Foundation
import X509
import SwiftASN1

/// Whole-buffer helpers over the streaming CMS encryptor and decryptor, for small payloads.
public enum CMS {
    /// Encrypts `plaintext` to `recipient` as DER EnvelopedData (AES-256-CBC).
    public static func encrypt(_ plaintext: Data, to recipientCertificateDER: Data, keyTransport: KeyTransport = .rsaOAEPSHA256) throws -> Data {
        var encryptor = try CMSEnvelopedDataEncryptor(recipientCertificateDER: recipientCertificateDER,
                                                      keyTransport: keyTransport, plaintextLength: plaintext.count)
        var out = try encryptor.update(plaintext)
        out += try encryptor.finish()
        return out
    }

    public static func encrypt(_ plaintext: Data, to recipient: Certificate, keyTransport: KeyTransport = .rsaOAEPSHA256) throws -> Data {
        var serializer = DER.Serializer()
        try serializer.serialize(recipient)
        return try encrypt(plaintext, to: Data(serializer.serializedBytes), keyTransport: keyTransport)
    }

    /// Decrypts DER or BER EnvelopedData with our key.
    public static func decrypt(_ envelopedData: Data, with identity: PrivateKeyAndCertificate) throws -> Data {
        var decryptor = CMSEnvelopedDataDecryptor(identity: identity)
        var out = try decryptor.update(envelopedData)
        out += try decryptor.finish()
        return out
    }
}
