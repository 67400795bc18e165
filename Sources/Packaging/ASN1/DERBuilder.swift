import Foundation

/// Builds DER encodings from parts. Small on purpose: the structures Packaging writes
/// (CMS, PKCS#7 attributes) are fixed shapes, and building them byte by byte keeps them visible.
enum DERBuilder {
    static func lengthOctets(_ length: Int) -> [UInt8] {
        if length < 0x80 { return [UInt8(length)] }
        var bytes: [UInt8] = []
        var rest = length
        while rest > 0 { bytes.insert(UInt8(rest & 0xFF), at: 0); rest >>= 8 }
        return [0x80 | UInt8(bytes.count)] + bytes
    }

    static func tlv(_ identifier: UInt8, _ content: [UInt8]) -> [UInt8] {
        [identifier] + lengthOctets(content.count) + content
    }

    static func sequence(_ parts: [UInt8]...) -> [UInt8] { tlv(0x30, parts.flatMap { $0 }) }
    static func sequence(of parts: [[UInt8]]) -> [UInt8] { tlv(0x30, parts.flatMap { $0 }) }

    /// A SET OF, with its elements sorted as DER requires.
    static func set(of parts: [[UInt8]]) -> [UInt8] {
        tlv(0x31, parts.sorted { $0.lexicographicallyPrecedes($1) }.flatMap { $0 })
    }

    static func oid(_ dotted: String) -> [UInt8] { tlv(0x06, ObjectIdentifier.encode(dotted)) }
    static func octetString(_ bytes: [UInt8]) -> [UInt8] { tlv(0x04, bytes) }
    static func integer(_ value: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        var rest = value
        repeat { bytes.insert(UInt8(rest & 0xFF), at: 0); rest >>= 8 } while rest > 0
        if bytes[0] & 0x80 != 0 { bytes.insert(0, at: 0) }
        return tlv(0x02, bytes)
    }
    static let null: [UInt8] = [0x05, 0x00]

    /// `[n] EXPLICIT` around an encoded element.
    static func explicit(_ number: UInt8, _ content: [UInt8]) -> [UInt8] { tlv(0xA0 | number, content) }

    static func algorithm(_ dotted: String, parameters: [UInt8]? = nil) -> [UInt8] {
        sequence(oid(dotted), parameters ?? [])
    }

    /// UTCTime for dates before 2050, GeneralizedTime after, as RFC 5280 requires.
    static func time(_ date: Date) -> [UInt8] {
        let encoded = ASN1Time.encode(date)
        return tlv(encoded.tag, encoded.text)
    }
}

/// Object identifiers used across Packaging.
enum OID {
    static let data = "1.2.840.113549.1.7.1"
    static let signedData = "1.2.840.113549.1.7.2"
    static let envelopedData = "1.2.840.113549.1.7.3"
    static let encryptedData = "1.2.840.113549.1.7.6"
    static let rsaEncryption = "1.2.840.113549.1.1.1"
    static let rsaesOAEP = "1.2.840.113549.1.1.7"
    static let mgf1 = "1.2.840.113549.1.1.8"
    static let pSpecified = "1.2.840.113549.1.1.9"
    static let sha1WithRSA = "1.2.840.113549.1.1.5"
    static let sha256WithRSA = "1.2.840.113549.1.1.11"
    static let sha1 = "1.3.14.3.2.26"
    static let sha256 = "2.16.840.1.101.3.4.2.1"
    static let aes128CBC = "2.16.840.1.101.3.4.1.2"
    static let aes192CBC = "2.16.840.1.101.3.4.1.22"
    static let aes256CBC = "2.16.840.1.101.3.4.1.42"
    static let contentType = "1.2.840.113549.1.9.3"
    static let messageDigest = "1.2.840.113549.1.9.4"
    static let signingTime = "1.2.840.113549.1.9.5"
    static let signingCertificateV2 = "1.2.840.113549.1.9.16.2.47"
    static let cmsAlgorithmProtection = "1.2.840.113549.1.9.52"
    static let friendlyName = "1.2.840.113549.1.9.20"
    static let localKeyID = "1.2.840.113549.1.9.21"
    static let x509Certificate = "1.2.840.113549.1.9.22.1"
    static let keyBag = "1.2.840.113549.1.12.10.1.1"
    static let pkcs8ShroudedKeyBag = "1.2.840.113549.1.12.10.1.2"
    static let certBag = "1.2.840.113549.1.12.10.1.3"
    static let pbeSHA3DES = "1.2.840.113549.1.12.1.3"
    static let pbeSHARC2_128 = "1.2.840.113549.1.12.1.5"
    static let pbeSHARC2_40 = "1.2.840.113549.1.12.1.6"
    static let pbes2 = "1.2.840.113549.1.5.13"
    static let pbkdf2 = "1.2.840.113549.1.5.12"
    static let hmacSHA1 = "1.2.840.113549.2.7"
    static let hmacSHA256 = "1.2.840.113549.2.9"
    static let desEDE3CBC = "1.2.840.113549.3.7"
    static let sunJKSKeyProtector = "1.3.6.1.4.1.42.2.17.1.1"
}
