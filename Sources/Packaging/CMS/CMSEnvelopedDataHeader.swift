import Crypto
import Foundation

/// Everything of an EnvelopedData before the ciphertext: the recipients and the content cipher.
struct CMSEnvelopedDataHeader: Sendable {
    var recipientInfos: [BERNode]
    var contentAlgorithm: BERNode
    var contentReader: ContentReader

    private struct NeedMore: Error {}

    /// Parses the header from the start of `bytes`; `nil` until enough bytes are there.
    static func parse(_ bytes: [UInt8]) throws -> (CMSEnvelopedDataHeader, Int)? {
        var cursor = 0
        func header(_ expected: UInt8, _ what: String) throws -> BERParser.Header {
            guard let header = try BERParser.readHeader(bytes[cursor...]) else { throw NeedMore() }
            guard header.identifier == expected else {
                throw CMSError.malformed("expected \(what) (tag 0x\(String(expected, radix: 16))) at byte \(cursor), found 0x\(String(header.identifier, radix: 16))")
            }
            cursor += header.headerLength
            return header
        }
        func element() throws -> BERNode {
            guard let (node, end) = try BERParser.parsePrefix(bytes[cursor...]) else { throw NeedMore() }
            cursor = end
            return node
        }
        do {
            _ = try header(0x30, "ContentInfo")
            let type = try element()
            guard type.oid == OID.envelopedData else {
                throw CMSError.malformed("content type \(type.oid ?? "?") is not EnvelopedData (\(OID.envelopedData))")
            }
            _ = try header(0xA0, "[0] content")
            _ = try header(0x30, "EnvelopedData")
            _ = try element()  // version
            guard cursor < bytes.count else { throw NeedMore() }
            if bytes[cursor] == 0xA0 { _ = try element() }  // originatorInfo
            let recipientInfos = try element()
            guard recipientInfos.identifier == 0x31 else { throw CMSError.malformed("recipientInfos is not a SET") }
            _ = try header(0x30, "EncryptedContentInfo")
            _ = try element()  // content type
            let algorithm = try element()
            guard let contentHeader = try BERParser.readHeader(bytes[cursor...]) else { throw NeedMore() }
            let reader: ContentReader
            switch contentHeader.identifier {
            case 0x80: reader = .primitive(length: contentHeader.length ?? 0)
            case 0xA0: reader = .constructed(length: contentHeader.length)
            default: throw CMSError.malformed("the encrypted content is missing (detached EnvelopedData is not supported)")
            }
            cursor += contentHeader.headerLength
            return (CMSEnvelopedDataHeader(recipientInfos: recipientInfos.children, contentAlgorithm: algorithm,
                                           contentReader: reader), cursor)
        } catch is NeedMore {
            return nil
        } catch let error as ASN1ParseError {
            throw CMSError.malformed(error.description)
        }
    }

    /// Finds our recipient info, recovers the content key and sets up the content cipher.
    func contentCipher(identity: PrivateKeyAndCertificate, keyCache: ContentKeyCache? = nil) throws -> AESCBCStream {
        let ours = try CertificateFields(der: Array(identity.certificateDER)).issuerAndSerialNumber
        let keyTransports = recipientInfos.filter { $0.identifier == 0x30 }
        guard !keyTransports.isEmpty else {
            throw CMSError.unsupported("recipient infos other than key transport (KeyTransRecipientInfo)")
        }
        let candidates = keyTransports.filter { (try? Array($0.child(1).encoded)) == ours }
        guard let recipient = candidates.first ?? (keyTransports.count == 1 ? keyTransports[0] : nil) else {
            throw CMSError.notForThisKey("none of the \(keyTransports.count) recipients is our certificate \(identity.certificate.subject)")
        }
        let encryptedKey = try recipient.child(3).octets
        let algorithm = try recipient.child(2)
        let key: [UInt8]
        if let cached = keyCache?.key(encryptedKey: encryptedKey, algorithm: algorithm.encoded) {
            key = cached
        } else {
            key = try KeyTransport.unwrap(encryptedKey, algorithm: algorithm, identity: identity)
            keyCache?.remember(key, encryptedKey: encryptedKey, algorithm: algorithm.encoded)
        }
        let oid = try contentAlgorithm.child(0).oid ?? "?"
        let keySize = [OID.aes128CBC: 16, OID.aes192CBC: 24, OID.aes256CBC: 32][oid]
        guard let keySize else { throw CMSError.unsupported("content encryption algorithm \(oid)") }
        guard key.count == keySize else { throw CMSError.notForThisKey("the content key has \(key.count) bytes, expected \(keySize)") }
        let iv = try contentAlgorithm.child(1).octets
        guard iv.count == 16 else { throw CMSError.malformed("AES-CBC IV of \(iv.count) bytes") }
        return AESCBCStream(key: SymmetricKey(data: key), iv: iv, direction: .decrypt)
    }
}
