import Crypto
import Foundation

/// Opens CMS EnvelopedData chunk by chunk: DER, or BER with indefinite lengths and the content in
/// (possibly nested) constructed OCTET STRING segments, as BouncyCastle and `openssl cms -stream` write.
///
/// The header is parsed as soon as enough bytes have arrived; from then on every chunk yields
/// plaintext, except the last AES block, held back until `finish()` removes its padding.
public struct CMSEnvelopedDataDecryptor: Sendable {
    private let identity: PrivateKeyAndCertificate
    private let keyCache: ContentKeyCache?
    private var buffer: [UInt8] = []
    private var cipher: AESCBCStream?
    private var content = ContentReader()
    private var finished = false

    /// The most header bytes buffered before giving up (the header holds only small structures).
    public static let maximumHeaderSize = 1 << 20

    /// - Parameter keyCache: content keys unwrapped before, so that opening the same data again (or data whose key
    ///   we wrapped ourselves) needs no RSA operation.
    public init(identity: PrivateKeyAndCertificate, keyCache: ContentKeyCache? = nil) {
        self.identity = identity
        self.keyCache = keyCache
    }

    /// Feeds the next chunk of CMS bytes; returns the plaintext that is ready.
    public mutating func update(_ chunk: some DataProtocol) throws -> Data {
        buffer.append(contentsOf: chunk)
        if cipher == nil {
            guard let (header, consumed) = try CMSEnvelopedDataHeader.parse(buffer) else {
                if buffer.count > Self.maximumHeaderSize { throw CMSError.headerTooLarge(Self.maximumHeaderSize) }
                return Data()
            }
            buffer.removeFirst(consumed)
            cipher = try header.contentCipher(identity: identity, keyCache: keyCache)
            content = header.contentReader
        }
        guard !finished else { buffer.removeAll(); return Data() }  // trailing attributes and end markers
        let (ciphertext, consumed, done) = try content.read(buffer)
        buffer.removeFirst(consumed)
        finished = done
        var plain = try cipher!.update(ciphertext)
        if done {
            plain += try cipher!.finish()
            buffer.removeAll()
        }
        return Data(plain)
    }

    /// Checks that the whole structure arrived.
    public mutating func finish() throws -> Data {
        guard cipher != nil else { throw CMSError.malformed("the input ended inside the CMS header") }
        guard finished else { throw CMSError.malformed("the input ended inside the encrypted content") }
        return Data()
    }
}

/// Extracts the ciphertext octets from the encryptedContent element, whatever its BER form.
struct ContentReader: Sendable {
    /// Open constructed levels: remaining bytes, or nil for indefinite length.
    var frames: [Int?] = []
    /// Bytes left in the current primitive segment.
    var segmentRemaining = 0

    static func primitive(length: Int) -> ContentReader { ContentReader(frames: [], segmentRemaining: length) }
    static func constructed(length: Int?) -> ContentReader { ContentReader(frames: [length], segmentRemaining: 0) }

    /// Returns the ciphertext found in `bytes`, how many bytes were consumed, and whether the element ended.
    mutating func read(_ bytes: [UInt8]) throws -> ([UInt8], Int, Bool) {
        var out: [UInt8] = []
        var cursor = 0
        while true {
            if segmentRemaining > 0 {
                let take = min(segmentRemaining, bytes.count - cursor)
                out.append(contentsOf: bytes[cursor..<(cursor + take)])
                cursor += take
                consume(take)
                segmentRemaining -= take
                if segmentRemaining > 0 { return (out, cursor, false) }
                continue
            }
            while let last = frames.last, let remaining = last, remaining == 0 { frames.removeLast() }
            if frames.isEmpty { return (out, cursor, true) }
            let rest = bytes[cursor...]
            if rest.count >= 2, rest[rest.startIndex] == 0, rest[rest.startIndex + 1] == 0 {
                guard frames.last! == nil else { throw CMSError.malformed("end-of-contents inside a definite-length segment") }
                frames.removeLast()
                cursor += 2
                consume(2)
                continue
            }
            guard let header = try BERParser.readHeader(rest) else { return (out, cursor, false) }
            guard header.identifier & 0x1F == 0x04 else {
                throw CMSError.malformed("unexpected tag 0x\(String(header.identifier, radix: 16)) inside the encrypted content")
            }
            cursor += header.headerLength
            consume(header.headerLength)
            if header.identifier & 0x20 != 0 {
                frames.append(header.length)
            } else {
                segmentRemaining = header.length ?? 0
            }
        }
    }

    private mutating func consume(_ count: Int) {
        for index in frames.indices { if let remaining = frames[index] { frames[index] = remaining - count } }
    }
}
