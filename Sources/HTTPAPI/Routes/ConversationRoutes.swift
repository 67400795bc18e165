import Engine
import Hummingbird
import Model
import Storage

/// `/api/conversations` (`nextmove-api.md` §2.5).
struct ConversationRoutes {
    let conversations: ConversationService

    func add(to router: Router<some RequestContext>) {
        let group = router.group("api/conversations")
        group.get { request, _ in
            let query = QueryParameters(request)
            return JSONResponse.make(try await conversations.find(try Self.filter(query), page: try query.pageRequest()))
        }
        group.get("queue") { request, _ in
            JSONResponse.make(try await conversations.queue(page: try QueryParameters(request).pageRequest()))
        }
        group.get("messageId/{messageId}") { _, context in
            JSONResponse.make(try await conversations.conversation(messageId: try context.parameters.require("messageId")))
        }
        group.delete("messageId/{messageId}") { _, context in
            try await conversations.delete(messageId: try context.parameters.require("messageId"))
            return JSONResponse.empty()
        }
        group.get("{id}") { _, context in
            JSONResponse.make(try await conversations.conversation(id: try Self.id(context)))
        }
        group.delete("{id}") { _, context in
            try await conversations.delete(id: try Self.id(context))
            return JSONResponse.empty()
        }
    }

    static func id(_ context: some RequestContext) throws -> Int64 {
        let text = try context.parameters.require("id")
        guard let id = Int64(text) else {
            throw InvalidRequest("The conversation id must be a whole number, but was '\(text)'.")
        }
        return id
    }

    static func filter(_ query: QueryParameters) throws -> ConversationQuery {
        var filter = ConversationQuery()
        filter.conversationId = query.strings("conversationId")
        filter.messageId = query.strings("messageId")
        filter.receiver = query.strings("receiver")
        filter.receiverIdentifier = query.strings("receiverIdentifier")
        filter.sender = query.strings("sender")
        filter.senderIdentifier = query.strings("senderIdentifier")
        filter.serviceIdentifier = try query.enums("serviceIdentifier", as: ServiceIdentifier.self)
        filter.messageReference = query.strings("messageReference")
        filter.messageTitle = query.strings("messageTitle")
        filter.pollable = try query.bool("pollable")
        filter.finished = try query.bool("finished")
        filter.direction = try query.enums("direction", as: ConversationDirection.self).first
        filter.lastUpdateFrom = try query.day("lastUpdateFrom", endOfDay: false)
        filter.lastUpdateTo = try query.day("lastUpdateTo", endOfDay: true)
        return filter
    }
}
