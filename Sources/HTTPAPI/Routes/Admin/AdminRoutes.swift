import Engine
import Foundation
import Hummingbird
import Model
import Mustache
import NIOCore
import Storage

/// The admin web pages, server-rendered and usable without JavaScript: `/` (who this is, uptime, channels,
/// certificate, health, the effective configuration with secrets masked) and `/conversations` (search, filters,
/// a page per conversation with its status history, delete with confirmation). Behind the same credentials as the
/// API; nothing here shows a secret, a token or a raw receipt.
struct AdminRoutes {
    let pages: AdminPages
    let conversations: ConversationService
    let health: HealthService
    let time: any TimeSource

    static let pageSize = 20

    func add(to router: Router<some RequestContext>) {
        router.get("/") { _, _ in html(try AdminTemplates.render(AdminTemplates.home, await homeModel())) }
        router.get("conversations") { request, _ in
            let model = try await listModel(request.uri.queryParameters)
            return html(try AdminTemplates.render(AdminTemplates.conversations, model))
        }
        router.get("conversations/{id}") { _, context in
            let model = try await detailModel(try conversationID(context))
            return html(try AdminTemplates.render(AdminTemplates.conversation, model))
        }
        router.get("conversations/{id}/delete") { _, context in
            var model = try await detailModel(try conversationID(context))
            model["token"] = pages.formToken
            return html(try AdminTemplates.render(AdminTemplates.confirmDelete, model))
        }
        router.post("conversations/{id}/delete") { request, context in
            try await delete(try conversationID(context), request: request, context: context)
        }
    }

    func homeModel() async -> [String: Any] {
        let uptime = Int(time.now.timeIntervalSince(pages.startedAt))
        let report = await health.check()
        return [
            "overview": pages.overview.map { ["name": $0.0, "value": $0.1] },
            "uptime": "\(uptime / 86400) d \(uptime % 86400 / 3600) h \(uptime % 3600 / 60) min",
            "health": report.status, "healthUp": report.status == "UP",
            "components": report.components.sorted { $0.key < $1.key }.map { name, component in
                ["name": name, "status": component.status,
                 "details": (component.details ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
                    .joined(separator: "; ")]
            },
            "configuration": pages.maskedConfiguration,
            "links": ["/manage/health", "/manage/info", "/manage/prometheus", "/api/openapi.json"].map { ["href": $0] },
        ]
    }

    func conversationID(_ context: some RequestContext) throws -> Int64 {
        let text = try context.parameters.require("id")
        guard let id = Int64(text) else { throw HTTPError(.notFound, message: "No conversation '\(text)'.") }
        return id
    }

    func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
