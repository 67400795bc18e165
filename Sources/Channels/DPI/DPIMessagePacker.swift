import Foundation
import Packaging

/// Packs a DPI shipment for corner 2 (`internals.md` §2.6): the ASiC-E container with the SDP manifest and a XAdES
/// signature, CMS-encrypted (RSA-OAEP-SHA256, AES-256-CBC) to the provider's certificate, and the forretningsmelding
/// with the package's SHA-256 and the Maskinporten token, signed as a JWS (RS256, `x5c`).
///
/// The container streams straight into the encryptor and the encrypted package into a `SpillBuffer`: in memory up to
/// `memoryThreshold` bytes, in a temporary file beyond. The plaintext never touches the disk.
public struct DPIMessagePacker: Sendable {
    /// The DPI keystore (`difi.move.dpi.keystore.*`): signs the container and the forretningsmelding.
    public let identity: PrivateKeyAndCertificate
    public let temporaryDirectory: URL
    /// `difi.move.dpi.temporary-file-threshold`.
    public let memoryThreshold: Int64

    public init(identity: PrivateKeyAndCertificate, temporaryDirectory: URL = FileManager.default.temporaryDirectory,
                memoryThreshold: Int64 = 1_000_000) {
        self.identity = identity
        self.temporaryDirectory = temporaryDirectory
        self.memoryThreshold = memoryThreshold
    }

    /// The encrypted document package (`asic.cms`) with its size and SHA-256. The caller removes it when done.
    public func documentPackage(for shipment: DPIShipment, signingTime: Date) throws -> SpilledBytes {
        let buffer = SpillBuffer(threshold: memoryThreshold, directory: temporaryDirectory, prefix: "dpi-asic-cms")
        do {
            var encryptor = try CMSEnvelopedDataEncryptor(recipientCertificateDER: shipment.recipientCertificateDER,
                                                          keyTransport: .rsaOAEPSHA256)
            try XAdESAsicWriter(identity: identity, signingTime: signingTime)
                .write(manifest: shipment.manifest, documents: shipment.documents) { chunk in
                    try buffer.write(try encryptor.update(chunk))
                }
            try buffer.write(try encryptor.finish())
            return try buffer.finish()
        } catch let error as SDPManifestError {
            buffer.discard()
            throw DPIError.invalidMessage(error.description)
        } catch let error as AsicError {
            buffer.discard()
            throw DPIError.invalidMessage(error.description)
        } catch let error as CMSError {
            buffer.discard()
            throw DPIError.incompleteRecipient("the provider's certificate cannot be encrypted to: \(error)")
        } catch {
            buffer.discard()
            throw error
        }
    }

    /// The signed forretningsmelding (`sbd.jwt`).
    public func forretningsmeldingJWT(for shipment: DPIShipment, package: SpilledBytes, maskinportentoken: String) throws -> String {
        let json = try shipment.forretningsmelding.json(fingerprint: package.sha256, maskinportentoken: maskinportentoken)
        return try CertificateChainJWS.sign(payload: json, identity: identity)
    }
}
