import Engine
import Foundation
import Hummingbird
import Model
import NIOCore
import Storage

/// `/conversations`: the list with its filters, a page per conversation, and delete with confirmation.
extension AdminRoutes {
    /// The list's filters as the form sends them; every value is kept as typed so the form shows it again.
    struct ListFilters {
        var page = 0
        var text = "", direction = "", service = "", status = "", from = "", to = ""
        var problems: [String] = []

        init(_ parameters: Parameters) {
            func value(_ name: String) -> String {
                parameters[Substring(name)].map(String.init)?.trimmingCharacters(in: .whitespaces) ?? ""
            }
            page = max(0, Int(value("page")) ?? 0)
            (text, direction, service, status, from, to) =
                (value("q"), value("direction"), value("service"), value("status"), value("from"), value("to"))
        }

        /// The store query; a filter that cannot be read is left out and named in `problems`.
        mutating func query() -> ConversationQuery {
            var query = ConversationQuery()
            if !text.isEmpty { query.text = text }
            query.direction = ConversationDirection(rawValue: direction)
            if let service = ServiceIdentifier(rawValue: service) { query.serviceIdentifier = [service] }
            if let status = ReceiptStatus(rawValue: status) { query.latestStatus = [status] }
            query.lastUpdateFrom = day(from, label: "From")
            query.lastUpdateTo = day(to, label: "To")?.addingTimeInterval(86_400 - 0.001)
            return query
        }

        /// The start of a day (`yyyy-MM-dd`, Norwegian time).
        mutating func day(_ text: String, label: String) -> Date? {
            guard !text.isEmpty else { return nil }
            guard let date = AdminRoutes.osloFormatter("yyyy-MM-dd").date(from: text) else {
                problems.append("\(label) date '\(text)' is not a date like 2026-11-22; that filter was left out.")
                return nil
            }
            return date
        }

        func link(page target: Int) -> String {
            var components = URLComponents()
            components.path = "/conversations"
            components.queryItems = [("page", "\(target)"), ("q", text), ("direction", direction), ("service", service),
                                     ("status", status), ("from", from), ("to", to)]
                .filter { !$0.1.isEmpty }.map { URLQueryItem(name: $0.0, value: $0.1) }
            return components.string ?? "/conversations"
        }
    }

    func listModel(_ parameters: Parameters) async throws -> [String: Any] {
        var filters = ListFilters(parameters)
        let query = filters.query()
        let result = try await conversations.find(query, page: PageRequest(page: filters.page, size: Self.pageSize))
        var model: [String: Any] = [
            "rows": result.content.map(row), "total": result.totalElements, "page": filters.page + 1,
            "pages": max(1, result.totalPages), "any": !result.content.isEmpty, "problems": filters.problems,
            "q": filters.text, "from": filters.from, "to": filters.to,
            "directions": options(ConversationDirection.allCases.map(\.rawValue), selected: filters.direction),
            "services": options(ServiceIdentifier.allCases.map(\.rawValue), selected: filters.service),
            "statuses": options(ReceiptStatus.allCases.map(\.rawValue), selected: filters.status),
        ]
        if let deleted = parameters["deleted"].map(String.init) { model["deleted"] = deleted }
        if filters.page > 0 { model["previous"] = filters.link(page: filters.page - 1) }
        if filters.page + 1 < result.totalPages { model["next"] = filters.link(page: filters.page + 1) }
        return model
    }

    /// `2026-11-22 18:04:33`, Norwegian time, as an operator reads it (the API keeps the full ISO form).
    static func readable(_ date: Date) -> String {
        osloFormatter("yyyy-MM-dd HH:mm:ss").string(from: date)
    }

    /// A fixed-format formatter in Norwegian time (a new one per use: DateFormatter is not Sendable).
    static func osloFormatter(_ format: String) -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = OsloTime.timeZone
        formatter.dateFormat = format
        return formatter
    }

    func options(_ values: [String], selected: String) -> [[String: Any]] {
        values.map { ["value": $0, "selected": $0 == selected] }
    }

    func row(_ conversation: Conversation) -> [String: Any] {
        [
            "id": "\(conversation.id)",
            "messageId": conversation.messageId,
            "conversationId": conversation.conversationId,
            "direction": conversation.direction.rawValue,
            "service": conversation.serviceIdentifier.rawValue,
            "sender": conversation.sender ?? conversation.senderIdentifier ?? "",
            "receiver": conversation.receiver ?? conversation.receiverIdentifier ?? "",
            "title": conversation.messageTitle ?? "",
            "reference": conversation.messageReference ?? "",
            "status": conversation.latestStatus?.status.rawValue ?? "",
            "lastUpdate": Self.readable(conversation.lastUpdate),
        ]
    }

    func detailModel(_ id: Int64) async throws -> [String: Any] {
        let conversation = try await conversations.conversation(id: id)
        var model = row(conversation)
        model["process"] = conversation.processIdentifier ?? ""
        model["documentType"] = conversation.documentIdentifier ?? ""
        model["expiry"] = conversation.expiry.map(Self.readable) ?? ""
        model["finished"] = conversation.finished ? "yes" : "no"
        model["history"] = conversation.messageStatuses.sorted { $0.id < $1.id }.map { status in
            ["status": status.status.rawValue, "time": Self.readable(status.lastUpdate),
             "description": status.description ?? ""]
        }
        return model
    }

    /// Deletes after the confirmation form: the conversation and its status history, as `DELETE
    /// /api/conversations/{id}` does. A form without this process's token is refused (403) and nothing changes.
    func delete(_ id: Int64, request: Request, context: some RequestContext) async throws -> Response {
        let body = try await request.body.collect(upTo: 16 * 1024)
        var components = URLComponents()
        components.percentEncodedQuery = String(buffer: body).replacingOccurrences(of: "+", with: "%20")
        let token = components.queryItems?.first { $0.name == "token" }?.value ?? ""
        guard ConstantTime.equals(Array(token.utf8), Array(pages.formToken.utf8)) else {
            return html(try AdminTemplates.render(AdminTemplates.refused, [:]), status: .forbidden)
        }
        let conversation = try await conversations.conversation(id: id)
        try await conversations.delete(id: id)
        var target = URLComponents()
        target.path = "/conversations"
        target.queryItems = [URLQueryItem(name: "deleted", value: conversation.messageId)]
        return Response(status: .seeOther, headers: [.location: target.string ?? "/conversations"])
    }
}
