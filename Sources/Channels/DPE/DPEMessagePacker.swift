import Foundation
import Packaging

/// Packs a DPE message into its Service Bus body (`DPEPayload`): the signed ASiC-E container, built exactly as
/// for DPO (manifest.xml first, then the documents, CAdES-signed with our virksomhetssertifikat), CMS-encrypted to
/// the receiver's certificate with AES-256-CBC and **RSA PKCS#1 v1.5 key transport**, as the upstream does for DPE
/// only (`internals.md` §2: `keyEncryptionScheme = DPE ? null : OAEP`).
///
/// The plaintext container streams through the encryptor and never touches the disk; the encrypted container is
/// kept in memory, which `maximumContainerBytes` bounds (the channel's upload limit plus room for the manifest,
/// the signature and the CMS header).
public struct DPEMessagePacker: Sendable {
    public typealias ContainerWriter = DPOMessagePacker.ContainerWriter

    /// The largest encrypted container we put on the bus; packing stops as soon as it is passed.
    public let maximumContainerBytes: Int

    public enum PackingError: Error, Sendable, Equatable, CustomStringConvertible {
        case containerTooLarge(limit: Int)
        case missingCertificate

        public var description: String {
            switch self {
            case .containerTooLarge(let limit):
                "The encrypted DPE container is larger than \(limit) bytes; the files must stay within difi.move.nextmove.serviceBus.upload-size-limit."
            case .missingCertificate:
                "The receiver's service record has no certificate, so the DPE container cannot be encrypted to it."
            }
        }
    }

    /// - Parameter uploadSizeLimit: `difi.move.nextmove.serviceBus.upload-size-limit` (2 MB by default); the
    ///   container may exceed the files by 1 MiB (manifest, signature, CMS overhead).
    public init(uploadSizeLimit: Int64 = 2 << 20) {
        maximumContainerBytes = Int(uploadSizeLimit) + (1 << 20)
    }

    /// The writer for a message's files, exactly as DPO writes it.
    public static func asicContainer(documents: [AsicDocument], manifest: EformidlingManifest?,
                                     signer: PrivateKeyAndCertificate, signingTime: Date) -> ContainerWriter {
        DPOMessagePacker.asicContainer(documents: documents, manifest: manifest, signer: signer, signingTime: signingTime)
    }

    /// The Service Bus body: the SBD, and the encrypted container when `container` is given.
    public func payload(sbdJSON: Data, container: ContainerWriter?, receiverCertificateDER: Data?) throws -> Data {
        guard let container else { return DPEPayload.encode(sbdJSON: sbdJSON, encryptedContainer: nil) }
        guard let receiverCertificateDER else { throw PackingError.missingCertificate }
        return DPEPayload.encode(sbdJSON: sbdJSON, encryptedContainer: try encrypt(container, to: receiverCertificateDER))
    }

    /// CMS EnvelopedData (BER, indefinite lengths, as BouncyCastle's streaming generator writes it) with PKCS#1 v1.5.
    public func encrypt(_ container: ContainerWriter, to receiverCertificateDER: Data) throws -> Data {
        let sink = EncryptedBuffer(encryptor: try CMSEnvelopedDataEncryptor(recipientCertificateDER: receiverCertificateDER,
                                                                            keyTransport: .rsaPKCS1v15),
                                   limit: maximumContainerBytes)
        try container { try sink.write($0) }
        return try sink.finish()
    }
}

/// Collects the encryptor's output, failing as soon as it passes the limit.
private final class EncryptedBuffer {
    private var encryptor: CMSEnvelopedDataEncryptor
    private var output = Data()
    private let limit: Int

    init(encryptor: CMSEnvelopedDataEncryptor, limit: Int) {
        self.encryptor = encryptor
        self.limit = limit
    }

    func write(_ chunk: Data) throws {
        try append(try encryptor.update(chunk))
    }

    func finish() throws -> Data {
        try append(try encryptor.finish())
        return output
    }

    private func append(_ data: Data) throws {
        guard output.count + data.count <= limit else { throw DPEMessagePacker.PackingError.containerTooLarge(limit: limit) }
        output.append(data)
    }
}
