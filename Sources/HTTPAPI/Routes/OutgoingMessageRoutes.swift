import Engine
import Foundation
import Hummingbird
import Model
import Storage

/// `/api/messages/out` (`nextmove-api.md` §2.2).
struct OutgoingMessageRoutes {
    let messages: OutgoingMessageService

    func add(to router: Router<some RequestContext>) {
        let group = router.group("api/messages/out")
        group.post { request, context in
            try Self.requireJSON(request)
            let sbd = try await SBDBody.decode(from: request, context: context)
            return JSONResponse.make(try await messages.create(sbd))
        }
        group.get { request, _ in
            let query = QueryParameters(request)
            var filter = try MessageFilters.make(query)
            filter.processIdentifier = query.strings("processIdentifier")
            return JSONResponse.make(try await messages.find(filter, page: try query.pageRequest()))
        }
        group.post("multipart") { request, context in
            JSONResponse.make(try await MultipartCreateAndSend(messages: messages).handle(request, context: context))
        }
        group.get("{messageId}") { _, context in
            JSONResponse.make(try await messages.message(messageId: try context.parameters.require("messageId")))
        }
        group.put("{messageId}") { request, context in
            let messageId = try context.parameters.require("messageId")
            let file = try Self.uploadedFile(request)
            try await messages.upload(messageId: messageId, file: file, content: request.body.map { Array(buffer: $0) })
            return JSONResponse.empty()
        }
        group.post("{messageId}") { _, context in
            try await messages.send(messageId: try context.parameters.require("messageId"))
            return JSONResponse.empty()
        }
        group.delete("{messageId}") { _, context in
            try await messages.delete(messageId: try context.parameters.require("messageId"))
            return JSONResponse.empty()
        }
    }

    static func requireJSON(_ request: Request) throws {
        let type = request.headers[.contentType] ?? ""
        guard type.lowercased().hasPrefix("application/json") else {
            throw NextMoveError.unsupportedMediaType(type)
        }
    }

    /// The headers of an upload: `Content-Type` and `Content-Disposition` are required, `?title=` overrides the
    /// title from Content-Disposition's `name`.
    static func uploadedFile(_ request: Request) throws -> UploadedFile {
        guard let contentType = request.headers[.contentType] else {
            throw NextMoveError.missingRequestHeader("Content-Type")
        }
        guard let dispositionHeader = request.headers[.contentDisposition] else {
            throw NextMoveError.missingRequestHeader("Content-Disposition")
        }
        guard let disposition = ContentDisposition(parsing: dispositionHeader) else {
            throw InvalidRequest("The Content-Disposition header '\(dispositionHeader)' cannot be read; send e.g. attachment; name=\"Title\"; filename=\"file.pdf\".")
        }
        guard let filename = disposition.filename, !filename.isEmpty else {
            throw InvalidRequest("The Content-Disposition header names no filename; send e.g. attachment; name=\"Title\"; filename=\"file.pdf\".")
        }
        let title = QueryParameters(request).string("title") ?? disposition.name
        let length = request.headers[.contentLength].flatMap { Int64($0) }
        return UploadedFile(filename: filename, title: title, contentType: contentType, declaredSize: length)
    }
}

/// Filters shared by the outgoing and incoming message lists.
enum MessageFilters {
    static func make(_ query: QueryParameters) throws -> MessageQuery {
        var filter = MessageQuery()
        filter.conversationId = query.strings("conversationId")
        filter.messageId = query.strings("messageId")
        filter.receiverIdentifier = query.strings("receiverIdentifier")
        filter.senderIdentifier = query.strings("senderIdentifier")
        filter.serviceIdentifier = try query.enums("serviceIdentifier", as: ServiceIdentifier.self)
        return filter
    }
}

/// Reads an SBD request body, with the upstream's error texts for what does not parse.
enum SBDBody {
    static func decode(from request: Request, context: some RequestContext) async throws -> StandardBusinessDocument {
        let data = try await JSONBody.data(from: request, context: context)
        return try StandardBusinessDocument.decode(from: data)
    }
}
