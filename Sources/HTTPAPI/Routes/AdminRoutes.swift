import Engine
import Foundation
import Hummingbird
import Model
import Mustache
import NIOCore
import Storage

/// The admin web pages, server-rendered without JavaScript: `/` (who this is, uptime, channels, the effective
/// configuration with secrets masked, links to `/manage`) and `/conversations` (20 per page, search, direction).
/// Behind the same credentials as the API; nothing here shows a secret or a token.
public struct AdminPages: Sendable {
    /// Name → value pairs for the overview (organisation number, version, channels…).
    public var overview: [(String, String)]
    /// The effective configuration, `key=value` per line, secrets already masked.
    public var maskedConfiguration: String
    public var startedAt: Date

    public init(overview: [(String, String)], maskedConfiguration: String, startedAt: Date) {
        self.overview = overview
        self.maskedConfiguration = maskedConfiguration
        self.startedAt = startedAt
    }
}

struct AdminRoutes {
    let pages: AdminPages
    let conversations: ConversationService
    let time: any TimeSource

    static let pageSize = 20

    func add(to router: Router<some RequestContext>) {
        router.get("/") { _, _ in html(try Self.template(Self.home).render(homeModel())) }
        router.get("conversations") { request, _ in
            let model = try await conversationsModel(request.uri.queryParameters)
            return html(try Self.template(Self.conversationsPage).render(model))
        }
    }

    func homeModel() -> [String: Any] {
        let uptime = Int(time.now.timeIntervalSince(pages.startedAt))
        return [
            "overview": pages.overview.map { ["name": $0.0, "value": $0.1] },
            "uptime": "\(uptime / 86400) d \(uptime % 86400 / 3600) h \(uptime % 3600 / 60) min",
            "configuration": pages.maskedConfiguration,
            "links": ["/manage/health", "/manage/info", "/manage/prometheus", "/api/conversations", "/api/statuses"]
                .map { ["href": $0] },
        ]
    }

    func conversationsModel(_ parameters: Parameters) async throws -> [String: Any] {
        let page = max(0, Int(parameters["page"].map(String.init) ?? "") ?? 0)
        let search = parameters["q"].map(String.init)?.trimmingCharacters(in: .whitespaces) ?? ""
        let directionText = parameters["direction"].map(String.init) ?? ""
        var query = ConversationQuery()
        if !search.isEmpty { query.text = search }
        query.direction = ConversationDirection(rawValue: directionText)
        let result = try await conversations.find(query, page: PageRequest(page: page, size: Self.pageSize))
        let rows: [[String: Any]] = result.content.map { conversation in
            [
                "messageId": conversation.messageId,
                "conversationId": conversation.conversationId,
                "direction": conversation.direction.rawValue,
                "service": conversation.serviceIdentifier.rawValue,
                "sender": conversation.sender ?? conversation.senderIdentifier ?? "",
                "receiver": conversation.receiver ?? conversation.receiverIdentifier ?? "",
                "title": conversation.messageTitle ?? "",
                "reference": conversation.messageReference ?? "",
                "status": conversation.latestStatus?.status.rawValue ?? "",
                "lastUpdate": OsloTime.format(conversation.lastUpdate),
                "statusLink": "/api/statuses/\(conversation.messageId.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? "")",
            ]
        }
        func link(_ target: Int) -> String {
            var items = [URLQueryItem(name: "page", value: "\(target)")]
            if !search.isEmpty { items.append(URLQueryItem(name: "q", value: search)) }
            if !directionText.isEmpty { items.append(URLQueryItem(name: "direction", value: directionText)) }
            var components = URLComponents()
            components.path = "/conversations"
            components.queryItems = items
            return components.string ?? "/conversations"
        }
        var model: [String: Any] = [
            "rows": rows, "total": result.totalElements, "page": page + 1, "pages": max(1, result.totalPages),
            "q": search, "any": rows.isEmpty ? false : true,
            "incoming": directionText == "INCOMING", "outgoing": directionText == "OUTGOING",
        ]
        if page > 0 { model["previous"] = link(page - 1) }
        if page + 1 < result.totalPages { model["next"] = link(page + 1) }
        return model
    }

    func html(_ text: String) -> Response {
        Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    static func template(_ text: String) throws -> MustacheTemplate { try MustacheTemplate(string: text) }

    static let style = """
    <style>body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse}td,th{border:1px solid #ccc;\
    padding:4px 8px;text-align:left;font-size:14px}th{background:#eee}pre{background:#f6f6f6;padding:1em;overflow:auto}\
    nav a{margin-right:1em}</style>
    """

    static let home = """
    <!doctype html><html><head><meta charset="utf-8"><title>integrasjonspunkt</title>\(style)</head><body>
    <nav><a href="/">Overview</a><a href="/conversations">Conversations</a></nav>
    <h1>integrasjonspunkt</h1>
    <table>{{#overview}}<tr><th>{{name}}</th><td>{{value}}</td></tr>{{/overview}}
    <tr><th>Uptime</th><td>{{uptime}}</td></tr></table>
    <h2>Endpoints</h2><ul>{{#links}}<li><a href="{{href}}">{{href}}</a></li>{{/links}}</ul>
    <h2>Effective configuration</h2><p>Secrets are masked.</p><pre>{{configuration}}</pre>
    </body></html>
    """

    static let conversationsPage = """
    <!doctype html><html><head><meta charset="utf-8"><title>Conversations – integrasjonspunkt</title>\(style)</head><body>
    <nav><a href="/">Overview</a><a href="/conversations">Conversations</a></nav>
    <h1>Conversations</h1>
    <form method="get" action="/conversations">
    <input type="text" name="q" value="{{q}}" placeholder="messageId, conversationId, party, title, reference">
    <select name="direction"><option value="">both directions</option>
    <option value="OUTGOING"{{#outgoing}} selected{{/outgoing}}>outgoing</option>
    <option value="INCOMING"{{#incoming}} selected{{/incoming}}>incoming</option></select>
    <button type="submit">Search</button></form>
    <p>{{total}} conversation(s); page {{page}} of {{pages}}.</p>
    {{#any}}<table><tr><th>Last update</th><th>Direction</th><th>Service</th><th>Status</th><th>Sender</th>
    <th>Receiver</th><th>Title</th><th>Reference</th><th>messageId</th><th>conversationId</th></tr>
    {{#rows}}<tr><td>{{lastUpdate}}</td><td>{{direction}}</td><td>{{service}}</td><td>{{status}}</td><td>{{sender}}</td>
    <td>{{receiver}}</td><td>{{title}}</td><td>{{reference}}</td><td><a href="{{statusLink}}">{{messageId}}</a></td>
    <td>{{conversationId}}</td></tr>{{/rows}}</table>{{/any}}
    <p>{{#previous}}<a href="{{previous}}">← previous</a> {{/previous}}{{#next}}<a href="{{next}}">next →</a>{{/next}}</p>
    </body></html>
    """
}
