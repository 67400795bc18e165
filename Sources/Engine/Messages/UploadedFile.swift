import Foundation
import Model
import Synchronization

/// A file as the client announces it in `PUT /api/messages/out/{id}` or a multipart part.
public struct UploadedFile: Sendable {
    public var filename: String
    public var title: String?
    /// The request's Content-Type; empty or `application/octet-stream` means "guess from the extension".
    public var contentType: String?
    /// Content-Length when the client sent one.
    public var declaredSize: Int64?

    public init(filename: String, title: String?, contentType: String?, declaredSize: Int64?) {
        self.filename = filename
        self.title = title
        self.contentType = contentType
        self.declaredSize = declaredSize
    }
}

/// Passes a byte stream through, stopping it with `MaxFileSizeExceeded` once it passes the channel's limit, and
/// keeping a copy of small files the engine must read (`arkivmelding.xml`).
final class MeteredUpload: Sendable {
    let limit: Int64
    let alreadyStored: Int64
    let service: ServiceIdentifier
    let keepCopyUpTo: Int
    private let state = Mutex<(count: Int64, copy: [UInt8])>((0, []))

    init(limit: Int64, alreadyStored: Int64, service: ServiceIdentifier, keepCopy: Bool) {
        self.limit = limit
        self.alreadyStored = alreadyStored
        self.service = service
        self.keepCopyUpTo = keepCopy ? 32 * 1024 * 1024 : 0
    }

    var count: Int64 { state.withLock { $0.count } }
    var copy: [UInt8] { state.withLock { $0.copy } }

    func stream<S: AsyncSequence & Sendable>(_ source: S) -> AsyncThrowingStream<[UInt8], any Error>
        where S.Element == [UInt8] {
        PulledStream.map(source, transform: { chunk in
            try self.account(chunk)
            return chunk
        })
    }

    private func account(_ chunk: [UInt8]) throws {
        let total = try state.withLock { state -> Int64 in
            state.count += Int64(chunk.count)
            if state.copy.count + chunk.count <= keepCopyUpTo { state.copy.append(contentsOf: chunk) }
            return state.count
        }
        if alreadyStored + total > limit {
            throw NextMoveError.maxFileSizeExceeded(totalBytes: alreadyStored + total, service: service, limitBytes: limit)
        }
    }
}
