import Foundation
import NIOCore

/// A `multipart/form-data` request body written as a stream: the fields first, then each file read from its own
/// stream, so a large upload never sits in memory. Its length is known before it is sent (the files' sizes are),
/// and a file that turns out longer or shorter than announced makes the request fail rather than go out wrong.
public struct MultipartFormBody: Sendable {
    public enum Part: Sendable {
        case field(name: String, value: String)
        case file(name: String, filename: String, contentType: String, size: Int64,
                  open: @Sendable () throws -> AsyncThrowingStream<[UInt8], any Error>)
    }

    public let boundary: String
    public let parts: [Part]

    public init(parts: [Part], boundary: String = "----integrasjonspunkt-\(UUID().uuidString)") {
        self.parts = parts
        self.boundary = boundary
    }

    public var contentType: String { "multipart/form-data; boundary=\(boundary)" }

    /// The exact number of bytes ``chunks()`` produces.
    public var length: Int64 {
        var total: Int64 = 0
        for part in parts {
            total += Int64(header(of: part).utf8.count)
            switch part {
            case .field(_, let value): total += Int64(value.utf8.count)
            case .file(_, _, _, let size, _): total += size
            }
            total += 2
        }
        return total + Int64(closing.utf8.count)
    }

    /// The body, part by part.
    public func chunks() -> AsyncThrowingStream<ByteBuffer, any Error> {
        let parts = self.parts
        return AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    for part in parts {
                        continuation.yield(ByteBuffer(string: header(of: part)))
                        switch part {
                        case .field(_, let value):
                            continuation.yield(ByteBuffer(string: value))
                        case .file(_, _, _, _, let open):
                            for try await chunk in try open() {
                                try Task.checkCancellation()
                                continuation.yield(ByteBuffer(bytes: chunk))
                            }
                        }
                        continuation.yield(ByteBuffer(string: "\r\n"))
                    }
                    continuation.yield(ByteBuffer(string: closing))
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    private var closing: String { "--\(boundary)--\r\n" }

    private func header(of part: Part) -> String {
        switch part {
        case .field(let name, _):
            return "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(Self.quoted(name))\"\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\n\r\n"
        case .file(let name, let filename, let contentType, _, _):
            var disposition = "form-data; name=\"\(Self.quoted(name))\"; filename=\"\(Self.quoted(filename))\""
            if filename.unicodeScalars.contains(where: { !$0.isASCII }) {
                let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
                let encoded = filename.addingPercentEncoding(withAllowedCharacters: allowed) ?? filename
                disposition += "; filename*=UTF-8''\(encoded)"
            }
            return "--\(boundary)\r\nContent-Disposition: \(disposition)\r\nContent-Type: \(contentType)\r\n\r\n"
        }
    }

    /// A value inside double quotes: backslash and quote escaped, line breaks dropped.
    static func quoted(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\r", with: "").replacingOccurrences(of: "\n", with: "")
    }
}
