import Foundation
import Hummingbird
import Model
import NIOCore
import Packaging

/// The REST API of the sandbox SvarUt (`fiks-svarut-klient`): send v3 (`multipart/form-data`), status v3, external
/// reference v2 and forsendelse types v2. Every call needs a sandbox Maskinporten token with scope `ks:fiks` and the
/// account's `IntegrasjonId`/`IntegrasjonPassord`; errors are SvarUt's `ErrorMessage` JSON.
extension SandboxSvarUt {
    public func addRESTRoutes(to router: Router<BasicRequestContext>) {
        router.post("/api/v3/kontoer/:kontoId/forsendelser/organisasjon") { request, context in
            try await self.restSend(request, context)
        }
        router.post("/api/v3/kontoer/:kontoId/forsendelser/status/sok") { request, context in
            try await self.restStatus(request, context)
        }
        router.post("/api/v3/kontoer/:kontoId/forsendelser/status") { request, context in
            try await self.restStatus(request, context)
        }
        router.get("/tjenester/api/v2/kontoer/:kontoId/forsendelser") { request, context in
            try self.restEksternRef(request, context)
        }
        router.get("/api/v2/forsendelsestyper") { request, _ in
            if let refusal = self.restCaller(request, kontoId: nil).refusal { return refusal }
            if let fault = self.restFault(.forsendelseTyper, path: request.uri.path) { return fault }
            return HTTPAnswer.json(["forsendelsestyper": self.forsendelseTyper])
        }
    }

    /// The account of the caller, or the answer refusing it.
    private func restCaller(_ request: Request, kontoId: String?) -> (account: RESTAccount?, refusal: Response?) {
        let path = request.uri.path
        guard let token = HTTPAnswer.bearerToken(request), let claims = tokenSigner.verifiedClaims(of: token, now: now()),
              ((claims["scope"] as? String) ?? "").split(separator: " ").contains("ks:fiks") else {
            return (nil, Self.error(.unauthorized, "Gyldig Maskinporten-token med scope ks:fiks mangler", path: path))
        }
        let id = Self.header(request, "IntegrasjonId")?.lowercased() ?? ""
        let password = Self.header(request, "IntegrasjonPassord") ?? ""
        let accounts = state.withLock { $0.restAccounts }
        let account: RESTAccount?
        if let kontoId {
            account = accounts[kontoId.lowercased()]
        } else {
            account = accounts.values.first { $0.integrasjonId == id }
        }
        guard let account, account.integrasjonId == id, account.integrasjonPassord == password else {
            return (nil, Self.error(.forbidden, "Integrasjonen har ikke tilgang til kontoen", path: path))
        }
        return (account, nil)
    }

    private func restFault(_ operation: Operation, path: String) -> Response? {
        switch injectedFault(operation) {
        case nil: return nil
        case .text(let text): return Self.error(.badRequest, text, path: path)
        case .status(let code): return Self.error(HTTPResponse.Status(code: code), "Injected failure", path: path)
        }
    }

    private func restSend(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let path = request.uri.path
        let caller = restCaller(request, kontoId: context.parameters.get("kontoId"))
        guard let account = caller.account else { return caller.refusal! }
        if let fault = restFault(.send, path: path) { return fault }
        let contentType = request.headers[.contentType] ?? ""
        guard MIMEHeaderValue.mediaType(contentType) == "multipart/form-data",
              let boundary = MIMEHeaderValue.parameter("boundary", in: contentType) else {
            return Self.error(.badRequest, "Forventet multipart/form-data", path: path)
        }
        let scratch = storageDirectory.appendingPathComponent("incoming-\(UUID().uuidString.lowercased())")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let reader = MIMEMultipartReader(boundary: boundary, source: request.body.map { Array($0.readableBytesView) }.makeAsyncIterator())
        var json: Data?
        var files: [(filename: String, url: URL)] = []
        while let part = try await reader.nextPart() {
            let disposition = part.value("Content-Disposition") ?? ""
            if MIMEHeaderValue.parameter("name", in: disposition) == "forsendelse" {
                json = Data(try await reader.readAll(limit: Self.envelopeLimit))
                continue
            }
            guard let filename = MIMEHeaderValue.parameter("filename", in: disposition) else { continue }
            let file = scratch.appendingPathComponent("file-\(files.count)")
            _ = FileManager.default.createFile(atPath: file.path, contents: nil)
            let handle = try FileHandle(forWritingTo: file)
            while let chunk = try await reader.readChunk() { try handle.write(contentsOf: Data(chunk)) }
            try handle.close()
            files.append((filename, file))
        }
        guard let json, let f = try? JSONSerialization.jsonObject(with: json) as? [String: Any] else {
            return Self.error(.badRequest, "Ugyldig innhold: forsendelse mangler eller er ikke JSON", path: path)
        }
        guard let tittel = f["tittel"] as? String, !tittel.isEmpty else {
            return Self.error(.badRequest, "Ugyldig innhold: tittel mangler", path: path)
        }
        guard let receiver = (f["mottaker"] as? [String: Any])?["digitalId"] as? String else {
            return Self.error(.badRequest, "Ugyldig innhold: mottaker.digitalId mangler", path: path)
        }
        let metadata = f["dokumenter"] as? [[String: Any]] ?? []
        guard !metadata.isEmpty, metadata.count == files.count,
              zip(metadata, files).allSatisfy({ ($0.0["filnavn"] as? String) == $0.1.filename }) else {
            return Self.error(.badRequest, "Ugyldig innhold: dokumentene stemmer ikke med dokument-metadata", path: path)
        }
        if let type = f["forsendelsestype"] as? String, !forsendelseTyper.contains(type) {
            return Self.error(.badRequest, "Ugyldig innhold: ukjent forsendelsestype \(type)", path: path)
        }
        var dokumenter: [Forsendelse.Dokument] = []
        for (entry, file) in zip(metadata, files) {
            let size = Self.fileSize(file.url)
            guard size > 0 else { return Self.error(.badRequest, "Kan ikke lagre tomt dokument: \(file.filename)", path: path) }
            dokumenter.append(.init(filnavn: file.filename, mimetype: entry["mimeType"] as? String ?? "application/octet-stream",
                                    file: file.url, size: size, ekskluderesFraPrint: entry["skalEkskluderesFraUtskrift"] as? Bool))
        }
        let id = UUID().uuidString.lowercased()
        let forsendelse = Forsendelse(
            id: id, transport: "rest", sender: account.organisation, receiver: receiver,
            eksternReferanse: f["eksternReferanse"] as? String, tittel: tittel, forsendelseType: f["forsendelsestype"] as? String,
            kryptert: f["kryptert"] as? Bool ?? false, sikkerhetsnivaa: f["sikkerhetsniva"] as? String ?? "BETYDELIG",
            svarPaForsendelse: f["svarPaForsendelseId"] as? String,
            svarSendesTil: (f["svarSendesTil"] as? [String: Any])?["digitalId"] as? String,
            dokumenter: try keep(dokumenter, id: id), status: "MOTTATT", statusChanged: now(),
            request: String(decoding: json, as: UTF8.self))
        _ = accept(forsendelse)
        return HTTPAnswer.json(["id": id])
    }

    private func restStatus(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let caller = restCaller(request, kontoId: context.parameters.get("kontoId"))
        guard let account = caller.account else { return caller.refusal! }
        if let fault = restFault(.status, path: request.uri.path) { return fault }
        let body = try await HTTPAnswer.collectBody(request)
        let ids = (try? JSONSerialization.jsonObject(with: body) as? [String: Any])?["id"] as? [String] ?? []
        let statuses = statuses(of: ids.map { $0.lowercased() }, sender: account.organisation).map {
            ["id": $0.id, "status": $0.status, "sisteStatusEndring": OsloTime.format($0.statusChanged)]
        }
        return HTTPAnswer.json(["statuser": statuses])
    }

    private func restEksternRef(_ request: Request, _ context: BasicRequestContext) throws -> Response {
        let caller = restCaller(request, kontoId: context.parameters.get("kontoId"))
        guard let account = caller.account else { return caller.refusal! }
        if let fault = restFault(.eksternRef, path: request.uri.path) { return fault }
        let reference = request.uri.queryParameters["eksternRef"].map(String.init) ?? ""
        return HTTPAnswer.json(["forsendelseIds": ids(eksternReferanse: reference, sender: account.organisation)])
    }

    /// A request header by name, any case.
    static func header(_ request: Request, _ name: String) -> String? {
        request.headers.first { $0.name.canonicalName == name.lowercased() }?.value
    }

    /// SvarUt's `ErrorMessage`.
    static func error(_ status: HTTPResponse.Status, _ message: String, path: String) -> Response {
        HTTPAnswer.json(["timestamp": Int(Date().timeIntervalSince1970 * 1000), "status": status.code,
                         "error": status.reasonPhrase, "errorId": UUID().uuidString.lowercased(), "path": path,
                         "message": message], status: status)
    }
}
