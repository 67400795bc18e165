import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// The answer of a small HTTP exchange: status, headers and the collected body.
struct HTTPAnswer: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: Data

    var text: String { String(decoding: body, as: UTF8.self) }
    var contentType: String { headers.first(name: "content-type")?.lowercased() ?? "" }
    var isSuccess: Bool { (200..<300).contains(status) }
}

/// Sends requests with a deadline and collects small bodies; turns transport failures into `TransportFailure`.
enum HTTPExchange {
    /// A connection, TLS or timeout failure: the request may not have reached the server. Always transient.
    struct TransportFailure: Error, CustomStringConvertible {
        var url: String
        var underlying: String
        var description: String { "cannot reach \(url): \(underlying)" }
    }

    static func send(_ request: HTTPClientRequest, on client: HTTPClient, timeout: TimeAmount,
                     bodyLimit: Int = 8 << 20) async throws -> HTTPAnswer {
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, timeout: timeout)
        } catch {
            throw TransportFailure(url: request.url, underlying: "\(error)")
        }
        let body: ByteBuffer
        do {
            body = try await response.body.collect(upTo: bodyLimit)
        } catch {
            throw TransportFailure(url: request.url, underlying: "reading the answer failed: \(error)")
        }
        return HTTPAnswer(status: Int(response.status.code), headers: response.headers, body: Data(buffer: body))
    }

    /// `application/x-www-form-urlencoded` encoding of one value.
    static func formEncode(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }

    /// Percent-encodes a query parameter value.
    static func queryEncode(_ value: String) -> String { formEncode(value) }

    /// Percent-encodes one path segment (`/`, `?` and `#` included, so a value never adds a segment or a query).
    static func pathSegment(_ value: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/?#")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }

    /// Joins a base URL and a path without doubling or dropping the slash.
    static func join(_ base: String, _ path: String) -> String {
        let trimmedBase = base.hasSuffix("/") ? String(base.dropLast()) : base
        return path.hasPrefix("/") ? trimmedBase + path : trimmedBase + "/" + path
    }
}
