import Crypto
import Foundation
import X509
import SwiftASN1

/// Encrypts a payload to one recipient certificate as CMS EnvelopedData, chunk by chunk.
///
/// AES-256-CBC content encryption; the key reaches the recipient by RSA key transport, identified
/// by issuer and serial number. With a known `plaintextLength` the output is DER; without it, BER
/// with indefinite lengths and the content in 64 KiB OCTET STRING segments, as BouncyCastle's
/// streaming generator writes it. Memory use stays at one chunk.
///
/// ```swift
/// var encryptor = try CMSEnvelopedDataEncryptor(recipientCertificateDER: der, keyTransport: .rsaOAEPSHA256,
///                                               plaintextLength: size)
/// for chunk in file { output.write(try encryptor.update(chunk)) }
/// output.write(try encryptor.finish())
/// ```
public struct CMSEnvelopedDataEncryptor: Sendable {
    private var cipher: AESCBCStream
    private var header: [UInt8]?
    private let expectedLength: Int?
    private var plaintextCount = 0
    private var segment: [UInt8] = []

    static let segmentSize = 65_536

    /// - Parameter keyCache: remembers the content key by its wrapped form, so that this process opens the data again
    ///   without an RSA operation (for data encrypted to our own certificate).
    public init(recipientCertificateDER: Data, keyTransport: KeyTransport, plaintextLength: Int? = nil,
                keyCache: ContentKeyCache? = nil) throws {
        let fields: CertificateFields
        do { fields = try CertificateFields(der: Array(recipientCertificateDER)) } catch {
            throw CMSError.malformed("the recipient certificate could not be read: \(error)")
        }
        let key = SymmetricKey(size: .bits256)
        let iv = Array(SymmetricKey(size: .bits128).withUnsafeBytes { Array($0) })
        let keyBytes = key.withUnsafeBytes { Array($0) }
        let wrapped = try keyTransport.wrap(keyBytes, subjectPublicKeyInfo: fields.subjectPublicKeyInfo)
        keyCache?.remember(keyBytes, encryptedKey: wrapped, algorithm: keyTransport.algorithmIdentifier)
        let recipientInfo = DERBuilder.sequence(
            DERBuilder.integer(0), fields.issuerAndSerialNumber, keyTransport.algorithmIdentifier,
            DERBuilder.octetString(wrapped))
        let contentAlgorithm = DERBuilder.algorithm(OID.aes256CBC, parameters: DERBuilder.octetString(iv))
        cipher = AESCBCStream(key: key, iv: iv, direction: .encrypt)
        expectedLength = plaintextLength
        header = Self.header(recipientInfo: recipientInfo, contentAlgorithm: contentAlgorithm, plaintextLength: plaintextLength)
    }

    public init(recipient: Certificate, keyTransport: KeyTransport, plaintextLength: Int? = nil) throws {
        var serializer = DER.Serializer()
        try serializer.serialize(recipient)
        try self.init(recipientCertificateDER: Data(serializer.serializedBytes), keyTransport: keyTransport,
                      plaintextLength: plaintextLength)
    }

    /// Encrypts the next chunk; returns the output bytes ready so far (the header with the first call).
    public mutating func update(_ chunk: some DataProtocol) throws -> Data {
        plaintextCount += chunk.count
        if let expectedLength, plaintextCount > expectedLength {
            throw CMSError.lengthMismatch(expected: expectedLength, actual: plaintextCount)
        }
        var out = takeHeader()
        let encrypted = try cipher.update(chunk)
        if expectedLength != nil {
            out.append(contentsOf: encrypted)
        } else {
            segment.append(contentsOf: encrypted)
            if segment.count >= Self.segmentSize {
                out.append(contentsOf: DERBuilder.octetString(segment))
                segment.removeAll(keepingCapacity: true)
            }
        }
        return Data(out)
    }

    /// Encrypts the last block with its padding and closes the structure.
    public mutating func finish() throws -> Data {
        if let expectedLength, plaintextCount != expectedLength {
            throw CMSError.lengthMismatch(expected: expectedLength, actual: plaintextCount)
        }
        var out = takeHeader()
        let last = try cipher.finish()
        if expectedLength != nil {
            out.append(contentsOf: last)
        } else {
            segment.append(contentsOf: last)
            out.append(contentsOf: DERBuilder.octetString(segment))
            segment = []
            out.append(contentsOf: [UInt8](repeating: 0, count: 10))  // five end-of-contents markers
        }
        return Data(out)
    }

    private mutating func takeHeader() -> [UInt8] {
        defer { header = nil }
        return header ?? []
    }

    /// Everything before the ciphertext. Definite lengths need the ciphertext length, which
    /// AES-CBC with PKCS#7 padding fixes: the plaintext rounded up to the next whole block.
    static func header(recipientInfo: [UInt8], contentAlgorithm: [UInt8], plaintextLength: Int?) -> [UInt8] {
        let version = DERBuilder.integer(0)
        let recipientInfos = DERBuilder.set(of: [recipientInfo])
        let contentInfoStart = DERBuilder.oid(OID.data) + contentAlgorithm
        guard let plaintextLength else {
            return [0x30, 0x80] + DERBuilder.oid(OID.envelopedData) + [0xA0, 0x80, 0x30, 0x80] + version + recipientInfos
                + [0x30, 0x80] + contentInfoStart + [0xA0, 0x80]
        }
        let cipherLength = (plaintextLength / 16 + 1) * 16
        let contentHeader = [0x80] + DERBuilder.lengthOctets(cipherLength)
        let encryptedContentInfoLength = contentInfoStart.count + contentHeader.count + cipherLength
        let encryptedContentInfoHeader = [0x30] + DERBuilder.lengthOctets(encryptedContentInfoLength)
        let envelopedLength = version.count + recipientInfos.count + encryptedContentInfoHeader.count + encryptedContentInfoLength
        let envelopedHeader = [0x30] + DERBuilder.lengthOctets(envelopedLength)
        let explicitLength = envelopedHeader.count + envelopedLength
        let explicitHeader = [0xA0] + DERBuilder.lengthOctets(explicitLength)
        let oid = DERBuilder.oid(OID.envelopedData)
        let outerLength = oid.count + explicitHeader.count + explicitLength
        return [0x30] + DERBuilder.lengthOctets(outerLength) + oid + explicitHeader + envelopedHeader + version
            + recipientInfos + encryptedContentInfoHeader + contentInfoStart + contentHeader
    }
}
