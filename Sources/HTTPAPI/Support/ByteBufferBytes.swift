import NIOCore

/// A request body's `ByteBuffer`s as byte arrays, for the multipart reader (`MIMEMultipartReader` in `Packaging`,
/// which knows nothing of NIO).
struct ByteBufferBytes<Base: AsyncIteratorProtocol>: AsyncIteratorProtocol where Base.Element == ByteBuffer {
    var base: Base

    init(_ base: Base) {
        self.base = base
    }

    mutating func next() async throws -> [UInt8]? {
        guard let buffer = try await base.next() else { return nil }
        return Array(buffer.readableBytesView)
    }
}
