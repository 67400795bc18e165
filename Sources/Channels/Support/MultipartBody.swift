import Foundation
import NIOCore

/// A MIME multipart request body — `multipart/form-data` (DPV's correspondence, DPI's business message and package,
/// SvarUt's REST forsendelse) or `multipart/related` (SOAP with MTOM) — made of small parts in memory and large ones
/// read from files or streams. It goes out part by part, a chunk at a time, never whole, and knows its exact length
/// up front, so the request carries a `Content-Length`: a stream that turns out longer or shorter than announced
/// makes the request fail rather than go out wrong.
public struct MultipartBody: Sendable {
    public enum Content: Sendable {
        case data(Data)
        case file(URL, size: Int64)
        case stream(size: Int64, open: @Sendable () throws -> AsyncThrowingStream<[UInt8], any Error>)

        var size: Int64 {
            switch self {
            case .data(let data): Int64(data.count)
            case .file(_, let size), .stream(let size, _): size
            }
        }
    }

    public struct Part: Sendable {
        public var headers: [(String, String)]
        public var content: Content

        public init(headers: [(String, String)], content: Content) {
            self.headers = headers
            self.content = content
        }

        /// A form field: `Content-Disposition: form-data; name="…"`, UTF-8 text.
        public static func field(name: String, value: String) -> Part {
            Part(headers: [("Content-Disposition", "form-data; name=\(MultipartBody.quoted(name))"),
                           ("Content-Type", "text/plain; charset=UTF-8")],
                 content: .data(Data(value.utf8)))
        }

        /// A file part of a form, read from `open` when the body is sent; a non-ASCII file name is also given as
        /// `filename*` (RFC 6266).
        public static func file(name: String, filename: String, contentType: String, size: Int64,
                                open: @escaping @Sendable () throws -> AsyncThrowingStream<[UInt8], any Error>) -> Part {
            var disposition = "form-data; name=\(MultipartBody.quoted(name)); filename=\(MultipartBody.quoted(filename))"
            if filename.unicodeScalars.contains(where: { !$0.isASCII }) {
                let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
                disposition += "; filename*=UTF-8''\(filename.addingPercentEncoding(withAllowedCharacters: allowed) ?? filename)"
            }
            return Part(headers: [("Content-Disposition", disposition), ("Content-Type", contentType)],
                        content: .stream(size: size, open: open))
        }
    }

    public let boundary: String
    public let parts: [Part]

    public init(boundary: String = "uuid:" + UUID().uuidString.lowercased(), parts: [Part]) {
        self.boundary = boundary
        self.parts = parts
    }

    /// `multipart/form-data; boundary=…`, the boundary quoted when it holds characters a bare token may not
    /// (the default `uuid:…` does).
    public var formDataContentType: String {
        let token = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$%&'*+-.^_`|~")
        let bare = boundary.unicodeScalars.allSatisfy { token.contains($0) }
        return "multipart/form-data; boundary=" + (bare ? boundary : "\"\(boundary)\"")
    }

    /// A value in double quotes: backslash and quote escaped, line breaks dropped.
    public static func quoted(_ text: String) -> String {
        let escaped = text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\r", with: "").replacingOccurrences(of: "\n", with: "")
        return "\"\(escaped)\""
    }

    /// The pieces in order: delimiter and headers as bytes, contents as they are.
    private var segments: [Content] {
        var segments: [Content] = []
        for part in parts {
            var head = "--\(boundary)\r\n"
            for (name, value) in part.headers { head += "\(name): \(value)\r\n" }
            head += "\r\n"
            segments.append(.data(Data(head.utf8)))
            segments.append(part.content)
            segments.append(.data(Data("\r\n".utf8)))
        }
        segments.append(.data(Data("--\(boundary)--\r\n".utf8)))
        return segments
    }

    /// The exact number of bytes ``chunks`` produces when every part is as long as announced.
    public var length: Int64 { segments.reduce(0) { $0 + $1.size } }

    public var chunks: Chunks { Chunks(segments: segments) }

    /// The body's bytes, one chunk at a time.
    public struct Chunks: AsyncSequence, Sendable {
        public typealias Element = ByteBuffer
        let segments: [Content]

        public struct AsyncIterator: AsyncIteratorProtocol {
            var segments: [Content]
            var index = 0
            var handle: FileHandle?
            var stream: AsyncThrowingStream<[UInt8], any Error>.AsyncIterator?

            public mutating func next() async throws -> ByteBuffer? {
                while index < segments.count {
                    switch segments[index] {
                    case .data(let data):
                        index += 1
                        if !data.isEmpty { return ByteBuffer(bytes: data) }
                    case .file(let url, _):
                        if handle == nil { handle = try FileHandle(forReadingFrom: url) }
                        if let chunk = try handle?.read(upToCount: 256 * 1024), !chunk.isEmpty {
                            return ByteBuffer(bytes: chunk)
                        }
                        try? handle?.close()
                        handle = nil
                        index += 1
                    case .stream(_, let open):
                        if stream == nil { stream = try open().makeAsyncIterator() }
                        if let chunk = try await stream?.next() {
                            if !chunk.isEmpty { return ByteBuffer(bytes: chunk) }
                            continue
                        }
                        stream = nil
                        index += 1
                    }
                }
                return nil
            }
        }

        public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(segments: segments) }
    }
}
