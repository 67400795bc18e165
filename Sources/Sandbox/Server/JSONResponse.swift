import Foundation
import Hummingbird
import NIOCore

/// Small helpers for the sandbox servers' answers.
enum HTTPAnswer {
    static func json(_ object: Any, status: HTTPResponse.Status = .ok, contentType: String = "application/json") -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return bytes(data, status: status, contentType: contentType)
    }

    static func text(_ text: String, status: HTTPResponse.Status = .ok, contentType: String = "text/plain; charset=utf-8") -> Response {
        bytes(Data(text.utf8), status: status, contentType: contentType)
    }

    static func bytes(_ data: Data, status: HTTPResponse.Status = .ok, contentType: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// An RFC 7807 problem, as the Altinn APIs answer.
    static func problem(_ status: HTTPResponse.Status, title: String, detail: String) -> Response {
        json(["type": "https://tools.ietf.org/html/rfc9110#section-15", "title": title, "status": status.code, "detail": detail],
             status: status, contentType: "application/problem+json")
    }

    /// Reads a whole small request body (JSON, forms) up to `limit` bytes.
    static func collectBody(_ request: Request, limit: Int = 1 << 20) async throws -> Data {
        var request = request
        let buffer = try await request.collectBody(upTo: limit)
        return Data(buffer.readableBytesView)
    }

    static func bearerToken(_ request: Request) -> String? {
        guard let value = request.headers[.authorization], value.lowercased().hasPrefix("bearer ") else { return nil }
        return String(value.dropFirst(7)).trimmingCharacters(in: .whitespaces)
    }
}
