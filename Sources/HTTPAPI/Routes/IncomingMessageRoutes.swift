import Engine
import Foundation
import Hummingbird
import Model
import NIOCore
import Storage

/// `/api/messages/in` (`nextmove-api.md` §2.3): peek → pop → delete.
struct IncomingMessageRoutes {
    let messages: IncomingMessageService

    func add(to router: Router<some RequestContext>) {
        let group = router.group("api/messages/in")
        group.get { request, _ in
            let query = QueryParameters(request)
            return JSONResponse.make(try await messages.find(try Self.filter(query), page: try query.pageRequest()))
        }
        group.get("peek") { request, _ in
            JSONResponse.make(try await messages.peek(try Self.filter(QueryParameters(request))))
        }
        group.get("pop/{messageId}") { _, context -> Response in
            switch try await messages.pop(messageId: try context.parameters.require("messageId")) {
            case .noContainer:
                return JSONResponse.empty(status: .noContent)
            case .container(let stream):
                return Response(
                    status: .ok,
                    headers: [.contentType: "application/vnd.etsi.asic-e+zip",
                              .contentDisposition: "attachment; filename=asic.zip"],
                    body: ResponseBody { writer in
                        for try await chunk in stream { try await writer.write(ByteBuffer(bytes: chunk)) }
                        try await writer.finish(nil)
                    })
            }
        }
        group.delete("{messageId}") { _, context in
            JSONResponse.make(try await messages.delete(messageId: try context.parameters.require("messageId")))
        }
    }

    static func filter(_ query: QueryParameters) throws -> MessageQuery {
        var filter = try MessageFilters.make(query)
        filter.processIdentifier = query.strings("process")
        return filter
    }
}
