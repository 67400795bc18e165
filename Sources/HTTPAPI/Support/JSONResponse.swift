import Foundation
import Hummingbird
import Model
import NIOCore

/// JSON bodies as the upstream (Jackson) writes them: members in declaration order, pretty printed, nulls omitted.
enum JSONResponse {
    static func make<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) -> Response {
        do {
            let data = try JacksonJSON.encode(value)
            return raw(data, status: status)
        } catch {
            return Response(status: .internalServerError)
        }
    }

    static func raw(_ data: Data, status: HTTPResponse.Status = .ok,
                    contentType: String = "application/json") -> Response {
        Response(status: status, headers: [.contentType: contentType],
                 body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func empty(status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentLength: "0"], body: ResponseBody())
    }
}
