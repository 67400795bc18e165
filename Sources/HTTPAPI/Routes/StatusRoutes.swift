import Engine
import Hummingbird
import Model
import Storage

/// `/api/statuses` (`nextmove-api.md` §2.4).
struct StatusRoutes {
    let statuses: StatusService

    func add(to router: Router<some RequestContext>) {
        let group = router.group("api/statuses")
        group.get { request, _ in
            let query = QueryParameters(request)
            var filter = StatusQuery()
            filter.id = try query.int64("id")
            filter.conversationId = query.strings("conversationId")
            filter.messageId = query.strings("messageId")
            filter.status = query.strings("status")
            filter.fromDateTime = try query.dateTime("fromDateTime")
            filter.toDateTime = try query.dateTime("toDateTime")
            return JSONResponse.make(try await statuses.find(filter, page: try query.pageRequest()))
        }
        group.get("peek") { _, _ -> Response in
            guard let status = try await statuses.peek() else { return JSONResponse.empty(status: .noContent) }
            return JSONResponse.make(status)
        }
        // One parameter name for both routes: the router needs it. GET reads it as a messageId, DELETE as a status id.
        group.get("{id}") { request, context in
            let messageId = try context.parameters.require("id")
            let page = try QueryParameters(request).pageRequest()
            var response = JSONResponse.make(try await statuses.statuses(messageId: messageId, page: page))
            response.headers[.contentType] = "application/json; charset=utf-8"
            return response
        }
        group.delete("{id}") { _, context -> Response in
            guard let id = Int64(try context.parameters.require("id")) else {
                return JSONResponse.empty(status: .notFound)
            }
            return JSONResponse.empty(status: try await statuses.remove(statusId: id) ? .ok : .notFound)
        }
    }
}
