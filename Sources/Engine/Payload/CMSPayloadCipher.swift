import Foundation
import Packaging
import Synchronization

/// Encryption at rest with CMS to the integration point's own certificate (`cryptoMessagePersister=true`), the
/// upstream's format: a stored file is an EnvelopedData any holder of our key can open, also with `openssl cms`.
public struct CMSPayloadCipher: PayloadCipher {
    let identity: PrivateKeyAndCertificate

    public init(identity: PrivateKeyAndCertificate) {
        self.identity = identity
    }

    public func encrypt(_ plain: AsyncThrowingStream<[UInt8], any Error>) -> AsyncThrowingStream<[UInt8], any Error> {
        let encryptor = Mutex<CMSEnvelopedDataEncryptor?>(nil)
        let certificate = identity.certificateDER
        return PulledStream.map(plain, transform: { chunk in
            try encryptor.withLock { state in
                if state == nil {
                    state = try CMSEnvelopedDataEncryptor(recipientCertificateDER: certificate, keyTransport: .rsaOAEPSHA256)
                }
                return [UInt8](try state!.update(chunk))
            }
        }, finish: {
            try encryptor.withLock { state in
                if state == nil {
                    state = try CMSEnvelopedDataEncryptor(recipientCertificateDER: certificate, keyTransport: .rsaOAEPSHA256)
                }
                return [UInt8](try state!.finish())
            }
        })
    }

    public func decrypt(_ sealed: AsyncThrowingStream<[UInt8], any Error>) -> AsyncThrowingStream<[UInt8], any Error> {
        let decryptor = Mutex(CMSEnvelopedDataDecryptor(identity: identity))
        return PulledStream.map(sealed, transform: { chunk in
            try decryptor.withLock { [UInt8](try $0.update(chunk)) }
        }, finish: {
            try decryptor.withLock { [UInt8](try $0.finish()) }
        })
    }
}
