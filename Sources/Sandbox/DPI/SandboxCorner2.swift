import Crypto
import Foundation
import Hummingbird
import Packaging
import Synchronization

/// The DPI corner 2 ("meldingsformidler") of the sandbox, under `/dpi` (`internals.md` §2.6), with the citizen's
/// postbox and the print service behind it played along.
///
/// `POST messages/out?kanal=` takes a letter (multipart `forretningsmelding` + `dokumentpakke`) from a caller with a
/// sandbox Maskinporten token for `digitalpostinnbygger:send`, checks the JWS against the sandbox CA, the package's
/// fingerprint and the fields the JSON schemas require, and keeps the package on disk. It then answers
/// `messages/out/{id}/statuses` with OPPRETTET and SENDT, and puts the receipts of `receiptPlan` in
/// `messages/in`, signed as JWS with `x5c` by the sandbox's meldingsformidler certificate, until they are marked read.
public final class SandboxCorner2: Sendable {
    public static let basePath = "/dpi"
    public static let scope = "digitalpostinnbygger:send"

    /// The operations faults can be injected into.
    public enum Operation: String, Sendable, CaseIterable {
        case send, statuses, receipts, read
    }

    /// Which receipts a letter gets, by its type (`digital`, `utskrift`), in order, a second apart.
    /// By default a digital letter is delivered and opened; a print letter is received by the print service,
    /// delivered, and also opened, so that both paths pass every status in the sandbox.
    public static let defaultReceiptPlan: [String: [String]] = [
        "digital": ["leveringskvittering", "aapningskvittering"],
        "utskrift": ["mottakskvittering", "aapningskvittering"],
    ]

    private struct Fault: Sendable {
        var remaining: Int
        var status: HTTPResponse.Status
    }

    private struct State {
        var letters: [String: SandboxDPILetter] = [:]
        var receipts: [SandboxDPIReceipt] = []
        var faults: [Operation: Fault] = [:]
        var forgeries: [SandboxDPIReceipt.Forgery] = []
        var receiptPlan = SandboxCorner2.defaultReceiptPlan
        var refusals: [String] = []
    }

    public let storageDirectory: URL
    private let trust: CertificateTrust
    private let meldingsformidler: PrivateKeyAndCertificate
    private let impostor: PrivateKeyAndCertificate?
    private let tokenSigner: SandboxTokenSigner
    private let now: @Sendable () -> Date
    private let state = Mutex(State())
    /// The most a posted letter may weigh (the DPI upload limit plus room for the business message).
    public let maximumRequestSize = 60 << 20

    /// - Parameters:
    ///   - authority: letters must be signed by a certificate it issued.
    ///   - meldingsformidler: signs the receipts (a certificate from the sandbox CA).
    ///   - impostor: signs receipts forged with `.untrustedCertificate` (a certificate from another CA).
    ///   - tokenSigner: the sandbox Maskinporten's token key; callers need its tokens.
    public init(storageDirectory: URL, authority: SandboxCertificateAuthority, meldingsformidler: SandboxIdentity,
                impostor: SandboxIdentity? = nil, tokenSigner: SandboxTokenSigner,
                now: @escaping @Sendable () -> Date = { Date() }) throws {
        self.storageDirectory = storageDirectory
        self.trust = CertificateTrust(roots: [authority.certificate])
        self.meldingsformidler = try meldingsformidler.keystoreEntry(alias: "meldingsformidler")
        self.impostor = try impostor?.keystoreEntry(alias: "impostor")
        self.tokenSigner = tokenSigner
        self.now = now
        try FileManager.default.createDirectory(at: storageDirectory, withIntermediateDirectories: true)
    }

    // MARK: Test controls

    /// The next `count` calls of `operation` fail with `statusCode` (a problem body).
    public func failNext(_ operation: Operation, count: Int = 1, statusCode: Int = 500) {
        state.withLock { $0.faults[operation] = Fault(remaining: count, status: HTTPResponse.Status(code: statusCode)) }
    }

    /// The next `count` receipts made are spoiled as `forgery`.
    public func forgeNextReceipts(_ count: Int = 1, as forgery: SandboxDPIReceipt.Forgery) {
        state.withLock { $0.forgeries += Array(repeating: forgery, count: count) }
    }

    /// Replaces the receipts new letters get (by letter type); an empty list makes none.
    public func setReceiptPlan(_ plan: [String: [String]]) {
        state.withLock { $0.receiptPlan = plan }
    }

    /// Puts a receipt of `type` (e.g. `varslingfeiletkvittering`) for the letter `messageId` in `messages/in`.
    public func queueReceipt(_ type: String, forMessageId messageId: String, forgery: SandboxDPIReceipt.Forgery? = nil) throws {
        guard let letter = state.withLock({ $0.letters[messageId] }) else { throw SandboxError.unknownLetter(messageId) }
        let receipt = try SandboxDPIReceipt.make(type: type, about: letter, at: now(), signer: meldingsformidler,
                                                 forgery: forgery, impostor: impostor)
        state.withLock { $0.receipts.append(receipt) }
    }

    /// The letters accepted, oldest first.
    public var letters: [SandboxDPILetter] {
        state.withLock { $0.letters.values.sorted { $0.receivedAt < $1.receivedAt } }
    }

    /// Every receipt made, read or not.
    public var receipts: [SandboxDPIReceipt] { state.withLock { $0.receipts } }

    /// Why letters were refused, oldest first.
    public var refusals: [String] { state.withLock { $0.refusals } }

    // MARK: Routes

    public func addRoutes(to router: Router<BasicRequestContext>) {
        let group = router.group(RouterPath(Self.basePath))
        group.post("messages/out") { request, _ in try await self.send(request) }
        group.get("messages/out/:id/statuses") { request, context in try self.statuses(request, context) }
        group.get("messages/in") { request, _ in try self.received(request) }
        group.post("messages/in/:id/read") { request, context in try self.markRead(request, context) }
    }

    private func injectedFault(_ operation: Operation) -> Response? {
        let status: HTTPResponse.Status? = state.withLock { state in
            guard var fault = state.faults[operation], fault.remaining > 0 else { return nil }
            fault.remaining -= 1
            state.faults[operation] = fault
            return fault.status
        }
        return status.map { HTTPAnswer.problem($0, title: "Injected fault", detail: "The sandbox was told to fail this \(operation.rawValue)") }
    }

    /// The claims of a valid sandbox Maskinporten token with the DPI scope.
    private func caller(_ request: Request) -> [String: Any]? {
        guard let token = HTTPAnswer.bearerToken(request), let claims = tokenSigner.verifiedClaims(of: token, now: now()),
              ((claims["scope"] as? String) ?? "").split(separator: " ").contains(Substring(Self.scope)) else { return nil }
        return claims
    }

    /// The organisation a token was issued to (`consumer.ID`); empty when it names none.
    static func organisation(of claims: [String: Any]) -> String {
        (claims["consumer"] as? [String: Any])?["ID"] as? String ?? ""
    }

    private func unauthorized() -> Response {
        HTTPAnswer.problem(.unauthorized, title: "Unauthorized",
                           detail: "A Maskinporten token from the sandbox with scope \(Self.scope) is required")
    }

    private func refuse(_ detail: String) -> Response {
        state.withLock { $0.refusals.append(detail) }
        return HTTPAnswer.problem(.badRequest, title: "Bad Request", detail: detail)
    }

    private func send(_ request: Request) async throws -> Response {
        guard let claims = caller(request) else { return unauthorized() }
        if let fault = injectedFault(.send) { return fault }
        let body = try await HTTPAnswer.collectBody(request, limit: maximumRequestSize)
        guard let form = try? MultipartForm.parse(body, contentType: request.headers[.contentType] ?? ""),
              let jwtPart = form.parts.last(where: { $0.name == "forretningsmelding" }),
              let package = form.parts.last(where: { $0.name == "dokumentpakke" }) else {
            return refuse("The body must be multipart/form-data with the parts forretningsmelding and dokumentpakke")
        }
        let jwt = String(decoding: jwtPart.body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let verified: CertificateChainJWS.Verified
        do { verified = try await CertificateChainJWS.verify(jwt, trust: trust, at: now()) } catch {
            return refuse("The forretningsmelding is not accepted: \(error)")
        }
        let check = SandboxDPILetterCheck(payload: verified.payload, package: package.body,
                                          bearerToken: HTTPAnswer.bearerToken(request) ?? "")
        let letterFields: SandboxDPILetterCheck.Fields
        do { letterFields = try check.fields() } catch { return refuse("\(error)") }
        if let existing = state.withLock({ $0.letters[letterFields.messageId] }) {
            // A repeated send of the same letter is accepted once more and changes nothing.
            return existing.forretningsmelding == jwt ? Response(status: .ok)
                : refuse("A different letter with messageId \(letterFields.messageId) was sent before")
        }
        let file = storageDirectory.appendingPathComponent("\(letterFields.messageId).asic.cms")
        try package.body.write(to: file)
        let claimsJSON = try JSONSerialization.data(withJSONObject: claims, options: [.sortedKeys])
        let letter = SandboxDPILetter(
            messageId: letterFields.messageId, conversationId: letterFields.conversationId, type: letterFields.type,
            channel: request.uri.queryParameters["kanal"].map(String.init),
            avsenderOrganisation: letterFields.avsenderOrganisation, avsenderidentifikator: letterFields.avsenderidentifikator,
            providerOrganisation: letterFields.providerOrganisation, receivedAt: now(), forretningsmelding: jwt,
            payload: verified.payload, documentPackage: file, tokenClaimsJSON: claimsJSON)
        try makeReceipts(for: letter)
        return Response(status: .ok)
    }

    private func makeReceipts(for letter: SandboxDPILetter) throws {
        let plan = state.withLock { $0.receiptPlan[letter.type] ?? [] }
        var made: [SandboxDPIReceipt] = []
        for (index, type) in plan.enumerated() {
            let forgery = state.withLock { $0.forgeries.isEmpty ? nil : $0.forgeries.removeFirst() }
            made.append(try SandboxDPIReceipt.make(type: type, about: letter, at: letter.receivedAt.addingTimeInterval(Double(index + 1)),
                                                   signer: meldingsformidler, forgery: forgery, impostor: impostor))
        }
        state.withLock {
            $0.letters[letter.messageId] = letter
            $0.receipts += made
        }
    }

    private func statuses(_ request: Request, _ context: BasicRequestContext) throws -> Response {
        guard let claims = caller(request) else { return unauthorized() }
        if let fault = injectedFault(.statuses) { return fault }
        guard let id = context.parameters.get("id"), let letter = state.withLock({ $0.letters[id] }),
              letter.callerOrganisation == Self.organisation(of: claims) else {
            return HTTPAnswer.problem(.notFound, title: "Not Found", detail: "No letter with that messageId")
        }
        let time = ISO8601DateFormatter().string(from: letter.receivedAt)
        return HTTPAnswer.json([["status": "OPPRETTET", "timestamp": time], ["status": "SENDT", "timestamp": time]])
    }

    private func received(_ request: Request) throws -> Response {
        guard let claims = caller(request) else { return unauthorized() }
        let organisation = Self.organisation(of: claims)
        if let fault = injectedFault(.receipts) { return fault }
        let query = request.uri.queryParameters
        let channel = query["kanal"].map(String.init)
        let sender = query["avsenderidentifikator"].map(String.init)
        let pageSize = query["page_size"].flatMap { Int(String($0)) } ?? 100
        let items: [[String: String]] = state.withLock { state in
            state.receipts.filter {
                !$0.read && $0.recipientOrganisation == organisation && (channel == nil || $0.channel == channel)
                    && $0.avsenderidentifikator == sender
            }
                .prefix(pageSize).map { ["forretningsmelding": $0.forretningsmelding] }
        }
        return HTTPAnswer.json(items)
    }

    private func markRead(_ request: Request, _ context: BasicRequestContext) throws -> Response {
        guard let claims = caller(request) else { return unauthorized() }
        if let fault = injectedFault(.read) { return fault }
        let id = context.parameters.get("id") ?? ""
        let organisation = Self.organisation(of: claims)
        let found = state.withLock { state -> Bool in
            guard let index = state.receipts.firstIndex(where: { $0.messageId == id && $0.recipientOrganisation == organisation })
            else { return false }
            state.receipts[index].read = true
            return true
        }
        return found ? Response(status: .ok) : HTTPAnswer.problem(.notFound, title: "Not Found", detail: "No receipt with that messageId")
    }
}
