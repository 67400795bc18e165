import Foundation
import Hummingbird
import NIOCore
import Packaging
import Synchronization

/// KS SvarInn of the sandbox ("MottakService v1") under `/tjenester/svarinn`: one mailbox per organisation with a
/// Basic login (a mottakersystem) and the certificate its downloads are encrypted to, as SvarUt does it — the
/// forsendelse's files in one ZIP, CMS-encrypted to the mailbox.
///
/// Tests post forsendelser into mailboxes with `post(_:to:)` (including altered files and zip bombs) and read how
/// the integration point answered with `answer(for:)`: `kvitterMottak` or `mottakFeilet` with its reason.
public final class SandboxSvarInn: Sendable {
    public static let basePath = "/tjenester/svarinn"

    /// The operations faults can be injected into.
    public enum Operation: String, Sendable, CaseIterable {
        case list, download, kvitterMottak, mottakFeilet
    }

    /// How the integration point answered a forsendelse.
    public enum Answer: Sendable, Equatable {
        case waiting
        case kvittert
        case feilet(feilmelding: String, permanent: Bool)
    }

    /// A forsendelse in a mailbox.
    public struct Posted: Sendable {
        public var id: String
        public var mailbox: String
        public var answer: Answer
        public var downloads: Int
        /// The `hentNyeForsendelser` entry, without `downloadUrl` (made per request from the Host).
        var json: Data
        var file: URL
    }

    struct Mailbox: Sendable {
        var organisation: String
        var username: String
        var password: String
        var certificateDER: Data
        var keyTransport: KeyTransport
    }

    struct State {
        var mailboxes: [String: Mailbox] = [:]
        var posted: [String: Posted] = [:]
        var order: [String] = []
        var faults: [Operation: (remaining: Int, status: Int)] = [:]
        var calls: [Operation: Int] = [:]
    }

    public let storageDirectory: URL
    let now: @Sendable () -> Date
    let state = Mutex(State())

    public init(storageDirectory: URL, now: @escaping @Sendable () -> Date = { Date() }) throws {
        self.storageDirectory = storageDirectory
        self.now = now
        try FileManager.default.createDirectory(at: storageDirectory, withIntermediateDirectories: true)
    }

    // MARK: Test controls

    /// A mailbox for `organisation` whose downloads are encrypted to `certificateDER` (PKCS#1 v1.5 key transport
    /// by default, as BouncyCastle's defaults do it; RSA-OAEP when asked).
    public func addMailbox(organisation: String, username: String, password: String, certificateDER: Data,
                           keyTransport: KeyTransport = .rsaPKCS1v15) {
        state.withLock {
            $0.mailboxes[organisation] = Mailbox(organisation: organisation, username: username, password: password,
                                                 certificateDER: certificateDER, keyTransport: keyTransport)
        }
    }

    /// Puts a forsendelse into the mailbox of `organisation`; answers its id.
    @discardableResult
    public func post(_ parcel: SandboxSvarInnParcel, to organisation: String) throws -> String {
        guard let mailbox = state.withLock({ $0.mailboxes[organisation] }) else {
            throw SandboxError.cannotWrite(path: organisation, reason: "there is no SvarInn mailbox for \(organisation)")
        }
        let id = parcel.id ?? UUID().uuidString.lowercased()
        let (zip, filmetadata) = try parcel.zip(now: now())
        let encrypted = try CMS.encrypt(zip, to: mailbox.certificateDER, keyTransport: mailbox.keyTransport)
        let file = storageDirectory.appendingPathComponent("\(id).cms")
        try encrypted.write(to: file)
        let json = parcel.json(id: id, receiver: organisation, filmetadata: filmetadata, date: now())
        state.withLock {
            $0.posted[id] = Posted(id: id, mailbox: organisation, answer: .waiting, downloads: 0, json: json, file: file)
            $0.order.append(id)
        }
        return id
    }

    public func answer(for id: String) -> Answer? { state.withLock { $0.posted[id]?.answer } }

    public var posted: [Posted] { state.withLock { state in state.order.compactMap { state.posted[$0] } } }

    /// The next `count` calls of `operation` fail with HTTP `status`.
    public func failNext(_ operation: Operation, count: Int = 1, status: Int = 500) {
        state.withLock { $0.faults[operation] = (count, status) }
    }

    public func calls(_ operation: Operation) -> Int { state.withLock { $0.calls[operation] ?? 0 } }

    // MARK: Routes

    public func addRoutes(to router: Router<BasicRequestContext>) {
        let group = router.group(RouterPath(Self.basePath))
        group.get("mottaker/hentNyeForsendelser") { request, _ in try self.list(request) }
        group.get("forsendelse/:id") { request, context in try self.download(request, context) }
        group.post("kvitterMottak/forsendelse/:id") { request, context in
            try await self.answer(request, context, operation: .kvitterMottak)
        }
        group.post("mottakFeilet/forsendelse/:id") { request, context in
            try await self.answer(request, context, operation: .mottakFeilet)
        }
    }

    private func mailbox(_ request: Request) -> Mailbox? {
        guard let (username, password) = HTTPAnswer.basicCredentials(request) else { return nil }
        return state.withLock { $0.mailboxes.values.first { $0.username == username && $0.password == password } }
    }

    private func unauthorized() -> Response {
        var headers = HTTPFields()
        headers[.wwwAuthenticate] = "Basic realm=\"SvarInn\""
        headers[.contentType] = "text/plain; charset=utf-8"
        return Response(status: .unauthorized, headers: headers, body: .init(byteBuffer: ByteBuffer(string: "Unauthorized")))
    }

    private func fault(_ operation: Operation) -> Response? {
        let status: Int? = state.withLock { state in
            state.calls[operation, default: 0] += 1
            guard let entry = state.faults[operation], entry.remaining > 0 else { return nil }
            state.faults[operation] = (entry.remaining - 1, entry.status)
            return entry.status
        }
        return status.map { HTTPAnswer.text("Injected failure", status: HTTPResponse.Status(code: $0)) }
    }

    private func list(_ request: Request) throws -> Response {
        guard let mailbox = mailbox(request) else { return unauthorized() }
        if let fault = fault(.list) { return fault }
        let host = request.head.authority ?? "127.0.0.1"
        let entries: [[String: Any]] = posted.filter { $0.mailbox == mailbox.organisation && $0.answer == .waiting }.map {
            var json = (try? JSONSerialization.jsonObject(with: $0.json) as? [String: Any]) ?? [:]
            json["downloadUrl"] = "http://\(host)\(Self.basePath)/forsendelse/\($0.id)"
            return json
        }
        return HTTPAnswer.json(entries)
    }

    private func download(_ request: Request, _ context: BasicRequestContext) throws -> Response {
        guard let mailbox = mailbox(request) else { return unauthorized() }
        if let fault = fault(.download) { return fault }
        guard let id = context.parameters.get("id"), let posted = state.withLock({ $0.posted[id] }),
              posted.mailbox == mailbox.organisation else {
            return HTTPAnswer.text("Forsendelsen finnes ikke", status: .notFound)
        }
        state.withLock { $0.posted[id]?.downloads += 1 }
        let size = SandboxSvarUt.fileSize(posted.file)
        var headers = HTTPFields()
        headers[.contentType] = "application/octet-stream"
        headers[.contentDisposition] = "attachment; filename=\"\(id).zip\""
        return Response(status: .ok, headers: headers, body: HTTPAnswer.fileBody(posted.file, size: size))
    }

    private func answer(_ request: Request, _ context: BasicRequestContext, operation: Operation) async throws -> Response {
        guard let mailbox = mailbox(request) else { return unauthorized() }
        if let fault = fault(operation) { return fault }
        guard let id = context.parameters.get("id"), let posted = state.withLock({ $0.posted[id] }),
              posted.mailbox == mailbox.organisation else {
            return HTTPAnswer.text("Forsendelsen finnes ikke", status: .notFound)
        }
        let answer: Answer
        if operation == .mottakFeilet {
            let body = try await HTTPAnswer.collectBody(request)
            guard let json = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
                  let feilmelding = json["feilmelding"] as? String, !feilmelding.isEmpty,
                  let permanent = json["permanent"] as? Bool else {
                return HTTPAnswer.text("feilmelding og permanent må være utfylt", status: .badRequest)
            }
            answer = .feilet(feilmelding: feilmelding, permanent: permanent)
        } else {
            answer = .kvittert
        }
        state.withLock { $0.posted[id]?.answer = answer }
        return Response(status: .ok)
    }
}
