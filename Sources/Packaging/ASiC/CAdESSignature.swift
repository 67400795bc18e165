import Crypto
import _CryptoExtras
import Foundation
import X509

/// Detached CMS SignedData (CAdES-BES) over the ASiC manifest: SHA-256 with RSA, DER.
///
/// Signed attributes: content-type, signing-time, message-digest, signing-certificate-v2 and
/// CMS algorithm protection; the certificates field carries the signer's chain.
enum CAdESSignature {
    static func sign(_ content: Data, identity: PrivateKeyAndCertificate, signingTime: Date) throws -> Data {
        let fields = try CertificateFields(der: Array(identity.certificateDER))
        let digestAlgorithm = DERBuilder.algorithm(OID.sha256)
        let signatureAlgorithm = DERBuilder.algorithm(OID.sha256WithRSA, parameters: DERBuilder.null)
        let essCertID = DERBuilder.sequence(
            DERBuilder.octetString(Array(SHA256.hash(data: identity.certificateDER))),
            DERBuilder.sequence(DERBuilder.sequence(DERBuilder.tlv(0xA4, fields.issuer)), fields.serialNumber))
        let attributes: [[UInt8]] = [
            attribute(OID.contentType, DERBuilder.oid(OID.data)),
            attribute(OID.signingTime, DERBuilder.time(signingTime)),
            attribute(OID.messageDigest, DERBuilder.octetString(Array(SHA256.hash(data: content)))),
            attribute(OID.signingCertificateV2, DERBuilder.sequence(DERBuilder.sequence(essCertID))),
            attribute(OID.cmsAlgorithmProtection,
                      DERBuilder.sequence(digestAlgorithm, DERBuilder.tlv(0xA1, Array(signatureAlgorithm.dropFirst(2))))),
        ]
        let signedAttributes = DERBuilder.set(of: attributes)
        let signature = try identity.signingKey.signature(for: signedAttributes, padding: .insecurePKCS1v1_5)
        let signerInfo = DERBuilder.sequence(
            DERBuilder.integer(1), fields.issuerAndSerialNumber, digestAlgorithm,
            [0xA0] + signedAttributes.dropFirst(1),
            signatureAlgorithm, DERBuilder.octetString(Array(signature.rawRepresentation)))
        let certificates = identity.certificateChainDER.map { Array($0) }.sorted { $0.lexicographicallyPrecedes($1) }
        let signedData = DERBuilder.sequence(
            DERBuilder.integer(1), DERBuilder.set(of: [digestAlgorithm]), DERBuilder.sequence(DERBuilder.oid(OID.data)),
            DERBuilder.tlv(0xA0, certificates.flatMap { $0 }), DERBuilder.set(of: [signerInfo]))
        return Data(DERBuilder.sequence(DERBuilder.oid(OID.signedData), DERBuilder.explicit(0, signedData)))
    }

    private static func attribute(_ oid: String, _ value: [UInt8]) -> [UInt8] {
        DERBuilder.sequence(DERBuilder.oid(oid), DERBuilder.set(of: [value]))
    }

    /// What a valid signature says.
    struct Verified {
        var signer: Certificate
        var signingTime: Date?
        var digestAlgorithm: String
    }

    /// Verifies a detached SignedData (DER or BER) over `content`: SHA-1 or SHA-256 with RSA.
    static func verify(_ signature: Data, content: Data) throws -> Verified {
        do {
            return try verifyUnchecked(signature, content: content)
        } catch let error as AsicError {
            throw error
        } catch {
            throw AsicError.badSignature("\(error)")
        }
    }

    private static func verifyUnchecked(_ signature: Data, content: Data) throws -> Verified {
        let contentInfo = try BERParser.parse(Array(signature))
        guard try contentInfo.child(0).oid == OID.signedData else { throw AsicError.badSignature("not CMS SignedData") }
        let signedData = try contentInfo.child(1).child(0)
        let certificates = signedData.children.first { $0.identifier == 0xA0 }?.children.map { Array($0.encoded) } ?? []
        guard let signerInfo = signedData.children.last?.children.first else { throw AsicError.badSignature("no SignerInfo") }
        let signerID = Array(try signerInfo.child(1).encoded)
        guard let signerDER = certificates.first(where: { (try? CertificateFields(der: $0).issuerAndSerialNumber) == signerID })
        else { throw AsicError.badSignature("the signer's certificate is not in the signature") }
        let digestOID = try signerInfo.child(2).child(0).oid ?? "?"
        let digest: (Data) -> [UInt8]
        switch digestOID {
        case OID.sha256: digest = { Array(SHA256.hash(data: $0)) }
        case OID.sha1: digest = { Array(Insecure.SHA1.hash(data: $0)) }
        default: throw AsicError.badSignature("digest algorithm \(digestOID) is not supported")
        }
        var signedBytes = content
        var signingTime: Date?
        var index = 3
        if try signerInfo.child(3).identifier == 0xA0 {
            let attributes = try signerInfo.child(3)
            signedBytes = Data([0x31] + attributes.encoded.dropFirst(1))
            let messageDigest = try attributes.children.first { try $0.child(0).oid == OID.messageDigest }?.child(1).child(0).octets
            guard messageDigest == digest(content) else { throw AsicError.badSignature("the message digest does not match the ASiC manifest") }
            signingTime = try attributes.children.first { try $0.child(0).oid == OID.signingTime }
                .flatMap { try parseTime(try $0.child(1).child(0)) }
            index = 4
        }
        let signatureValue = try signerInfo.child(index + 1).octets
        let publicKey = try _RSA.Signing.PublicKey(derRepresentation: try CertificateFields(der: signerDER).subjectPublicKeyInfo)
        let rsaSignature = _RSA.Signing.RSASignature(rawRepresentation: signatureValue)
        let valid = digestOID == OID.sha256
            ? publicKey.isValidSignature(rsaSignature, for: SHA256.hash(data: signedBytes), padding: .insecurePKCS1v1_5)
            : publicKey.isValidSignature(rsaSignature, for: Insecure.SHA1.hash(data: signedBytes), padding: .insecurePKCS1v1_5)
        guard valid else { throw AsicError.badSignature("the RSA signature does not verify with the signer's certificate") }
        return Verified(signer: try Certificate(derEncoded: signerDER), signingTime: signingTime, digestAlgorithm: digestOID)
    }

    private static func parseTime(_ node: BERNode) throws -> Date? {
        ASN1Time.parse(node.content, generalized: node.identifier != 0x17)
    }
}
