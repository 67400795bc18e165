import Foundation
import Hummingbird

/// The requests of the sandbox's Altinn Correspondence.
extension SandboxAltinnCorrespondence {
    /// The largest upload the twin takes (Altinn's limit is 250 MB per file; the sandbox keeps things in memory).
    static let uploadLimit = 300 << 20

    func upload(_ request: Request) async throws -> Response {
        if let refusal = authorize(request) { return refusal }
        let fault = takeUploadFault()
        let body = try await HTTPAnswer.collectBody(request, limit: Self.uploadLimit)
        if uploadDelay > .zero { try await Task.sleep(for: uploadDelay) }
        let form: MultipartForm
        do {
            form = try MultipartForm.parse(body, contentType: request.headers[.contentType] ?? "")
        } catch {
            return HTTPAnswer.problem(.badRequest, title: "Bad Request", detail: "\(error)")
        }
        if let fault, !fault.afterStoring {
            return HTTPAnswer.problem(.init(code: fault.status), title: "Injected fault", detail: fault.detail)
        }
        let fields = form.fields
        if let problem = Self.validate(fields, files: form.parts.filter { $0.filename != nil }) { return problem }
        let key = fields["idempotentKey"] ?? ""
        let at = now()
        let stored = storeUnlessKnown(Self.correspondence(fields: fields, files: form.parts, at: at))
        guard let stored else {
            return HTTPAnswer.problem(.conflict, title: "Conflict",
                                      detail: "A correspondence with the same idempotent key \(key) already exists")
        }
        if let fault {
            return HTTPAnswer.problem(.init(code: fault.status), title: "Injected fault", detail: fault.detail)
        }
        return HTTPAnswer.json([
            "correspondences": [["correspondenceId": stored.id, "status": "Published", "recipient": stored.recipient]],
            "attachmentIds": stored.attachments.map { _ in UUID().uuidString.lowercased() },
        ])
    }

    func find(_ request: Request) -> Response {
        if let refusal = authorize(request) { return refusal }
        let reference = request.uri.queryParameters["sendersReference"].map(String.init)
        let ids = correspondences.filter { reference == nil || $0.sendersReference == reference }.map(\.id)
        return HTTPAnswer.json(["ids": ids])
    }

    func overview(_ request: Request, id: String) -> Response {
        if let refusal = authorize(request) { return refusal }
        guard let found = correspondences.first(where: { $0.id == id.lowercased() }) else {
            return HTTPAnswer.problem(.notFound, title: "Not Found", detail: "The requested correspondence was not found")
        }
        return HTTPAnswer.json(found.overviewJSON())
    }

    func markAsRead(_ request: Request, id: String) -> Response {
        if let refusal = authorize(request) { return refusal }
        guard let found = correspondences.first(where: { $0.id == id.lowercased() }) else {
            return HTTPAnswer.problem(.notFound, title: "Not Found", detail: "The requested correspondence was not found")
        }
        markRead(sendersReference: found.sendersReference)
        return HTTPAnswer.text(found.id)
    }

    // MARK: Checks

    /// An Altinn token from the sandbox's exchange, for a Maskinporten token with `eformidling:dpv`.
    private func authorize(_ request: Request) -> Response? {
        guard let token = HTTPAnswer.bearerToken(request), let claims = verifiedClaims(token) else {
            return HTTPAnswer.problem(.unauthorized, title: "Unauthorized",
                                      detail: "An Altinn token from the sandbox's token exchange is required")
        }
        let scopes = (claims["scope"] as? String ?? "").split(separator: " ").map(String.init)
        guard scopes.contains("eformidling:dpv") else {
            return HTTPAnswer.problem(.forbidden, title: "Forbidden",
                                      detail: "The token lacks the scope eformidling:dpv (it has '\(scopes.joined(separator: " "))')")
        }
        return nil
    }

    /// The required fields of `/correspondence/upload`, the recipient's form and the idempotency key.
    static func validate(_ fields: [String: String], files: [MultipartForm.Part]) -> Response? {
        let required = ["correspondence.resourceId", "correspondence.sendersReference", "correspondence.content.language",
                        "correspondence.content.messageTitle", "correspondence.content.messageSummary",
                        "correspondence.content.messageBody", "correspondence.notification.notificationTemplate",
                        "recipients[0]"]
        let missing = required.filter { (fields[$0] ?? "").isEmpty }
        if !missing.isEmpty {
            return HTTPAnswer.problem(.badRequest, title: "One or more validation errors occurred.",
                                      detail: "Missing: \(missing.joined(separator: ", "))")
        }
        let recipient = fields["recipients[0]"] ?? ""
        guard recipient.hasPrefix("urn:altinn:organization:identifier-no:") || recipient.hasPrefix("urn:altinn:person:identifier-no:") else {
            return HTTPAnswer.problem(.badRequest, title: "Bad Request", detail: "Recipient '\(recipient)' is not an Altinn URN")
        }
        guard UUID(uuidString: fields["idempotentKey"] ?? "") != nil else {
            return HTTPAnswer.problem(.badRequest, title: "Bad Request", detail: "1033: The idempotency key must be a valid non-empty GUID")
        }
        let announced = fields.keys.filter { $0.hasPrefix("correspondence.content.attachments[") && $0.hasSuffix("].fileName") }
        let names = Set(announced.compactMap { fields[$0] })
        guard names.count == files.count, Set(files.compactMap(\.filename)) == names else {
            return HTTPAnswer.problem(.badRequest, title: "Bad Request", detail: "1005: Mismatch between uploaded files and attachment metadata")
        }
        return nil
    }

    private static func correspondence(fields: [String: String], files: [MultipartForm.Part], at: Date) -> SandboxCorrespondence {
        var displayNames: [String: String] = [:]
        for (key, value) in fields where key.hasPrefix("correspondence.content.attachments[") && key.hasSuffix("].fileName") {
            let prefix = key.dropLast("fileName".count)
            displayNames[value] = fields[prefix + "displayName"]
        }
        let attachments = files.filter { $0.filename != nil && $0.name == "attachments" }.map {
            SandboxCorrespondence.Attachment(filename: $0.filename ?? "", displayName: displayNames[$0.filename ?? ""],
                                             contentType: $0.contentType, data: $0.body)
        }
        // Published at once: the requested publish time is "now" for DPV.
        return SandboxCorrespondence(
            id: UUID().uuidString.lowercased(), recipient: fields["recipients[0]"] ?? "",
            resourceId: fields["correspondence.resourceId"] ?? "", sender: fields["correspondence.sender"] ?? "",
            sendersReference: fields["correspondence.sendersReference"] ?? "", idempotentKey: fields["idempotentKey"] ?? "",
            fields: fields, attachments: attachments, created: at, published: at, read: nil, status: "Published",
            statusChanged: at)
    }
}
