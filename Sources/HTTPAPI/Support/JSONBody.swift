import Foundation
import Hummingbird

/// Reads small JSON request bodies, turning every decoding problem into a 400 with Spring's wording.
enum JSONBody {
    static let maximumSize = 4 * 1024 * 1024

    static func data(from request: Request, context: some RequestContext) async throws -> Data {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: maximumSize)
        } catch {
            throw InvalidRequest("The request body is larger than \(maximumSize / 1024 / 1024) MB; JSON documents must be smaller.")
        }
        guard buffer.readableBytes > 0 else {
            throw InvalidRequest("Required request body is missing",
                                 exception: "org.springframework.http.converter.HttpMessageNotReadableException")
        }
        return Data(buffer: buffer)
    }

    static func decode<T: Decodable>(_ type: T.Type, from request: Request, context: some RequestContext) async throws -> T {
        let data = try await data(from: request, context: context)
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch {
            throw InvalidRequest("JSON parse error: \(describe(error))",
                                 exception: "org.springframework.http.converter.HttpMessageNotReadableException")
        }
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.typeMismatch(let type, let context):
            return "expected \(type) at \(path(context.codingPath))"
        case DecodingError.valueNotFound(let type, let context):
            return "missing \(type) at \(path(context.codingPath))"
        case DecodingError.keyNotFound(let key, let context):
            return "missing field '\(key.stringValue)' at \(path(context.codingPath))"
        case DecodingError.dataCorrupted(let context):
            return "\(context.debugDescription) at \(path(context.codingPath))"
        default:
            return "\(error)"
        }
    }

    static func path(_ codingPath: [any CodingKey]) -> String {
        codingPath.isEmpty ? "the top level" : codingPath.map(\.stringValue).joined(separator: ".")
    }
}
