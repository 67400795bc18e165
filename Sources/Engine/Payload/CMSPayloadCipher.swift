import Foundation
import Packaging
import Synchronization

/// Encryption at rest with CMS to the integration point's own certificate (`cryptoMessagePersister=true`), the
/// upstream's format: a stored file is an EnvelopedData any holder of our key can open, also with `openssl cms`.
///
/// The content keys it wraps and unwraps are kept in a ``ContentKeyCache``: a stored file is read back more than once
/// (the send checks the arkivmelding, the outbox packs every file; an incoming container is checked, then popped),
/// and each RSA-3072 unwrap costs about 3 ms of CPU.
public struct CMSPayloadCipher: PayloadCipher {
    let identity: PrivateKeyAndCertificate
    let keyCache: ContentKeyCache

    public init(identity: PrivateKeyAndCertificate, keyCache: ContentKeyCache = ContentKeyCache()) {
        self.identity = identity
        self.keyCache = keyCache
    }

    public func encrypt(_ plain: AsyncThrowingStream<[UInt8], any Error>) -> AsyncThrowingStream<[UInt8], any Error> {
        let encryptor = Mutex<CMSEnvelopedDataEncryptor?>(nil)
        let certificate = identity.certificateDER
        let keyCache = self.keyCache
        return PulledStream.map(plain, transform: { chunk in
            try encryptor.withLock { state in
                if state == nil {
                    state = try CMSEnvelopedDataEncryptor(recipientCertificateDER: certificate, keyTransport: .rsaOAEPSHA256,
                                                          keyCache: keyCache)
                }
                return [UInt8](try state!.update(chunk))
            }
        }, finish: {
            try encryptor.withLock { state in
                if state == nil {
                    state = try CMSEnvelopedDataEncryptor(recipientCertificateDER: certificate, keyTransport: .rsaOAEPSHA256,
                                                          keyCache: keyCache)
                }
                return [UInt8](try state!.finish())
            }
        })
    }

    public func decrypt(_ sealed: AsyncThrowingStream<[UInt8], any Error>) -> AsyncThrowingStream<[UInt8], any Error> {
        let decryptor = Mutex(CMSEnvelopedDataDecryptor(identity: identity, keyCache: keyCache))
        return PulledStream.map(sealed, transform: { chunk in
            try decryptor.withLock { [UInt8](try $0.update(chunk)) }
        }, finish: {
            try decryptor.withLock { [UInt8](try $0.finish()) }
        })
    }
}
