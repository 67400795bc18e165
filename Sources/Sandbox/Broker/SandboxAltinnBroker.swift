import Crypto
import Foundation
import Hummingbird
import Logging
import Model
import NIOCore
import Synchronization

/// The Altinn 3 Broker endpoints DPO uses, as `altinn-broker-v1.json` describes them, under `/broker/api/v1`.
///
/// Callers authenticate with an Altinn token from the sandbox token exchange; the organisation is its
/// `urn:altinn:orgNumber`. Payloads up to `inMemoryLimit` are kept in memory, larger ones on disk under
/// `storageDirectory`; either goes once every recipient has confirmed its download (the real broker purges the
/// file then too), so a busy sandbox neither grows nor creates a file for every status receipt. A transfer goes
/// Initialized → Published on upload (Failed when an upload fails), and each recipient
/// Initialized → DownloadStarted → DownloadConfirmed; when all have confirmed, the transfer is AllConfirmedDownloaded.
public final class SandboxAltinnBroker: Sendable {
    public static let basePath = "/broker/api/v1"

    /// The operations faults can be injected into.
    public enum Operation: String, Sendable, CaseIterable {
        case initialize, upload, list, details, download, confirm
    }

    private struct Fault: Sendable {
        var remaining: Int
        var status: HTTPResponse.Status
    }

    private struct State {
        var transfers: [UUID: SandboxFileTransfer] = [:]
        var payloads: [UUID: SandboxBrokerPayload] = [:]
        var faults: [Operation: Fault] = [:]
        var uploads = 0
    }

    /// Uploads up to this size are kept in memory.
    public static let inMemoryLimit = 1 << 20

    public let storageDirectory: URL
    private let altinnSigner: SandboxTokenSigner
    private let now: @Sendable () -> Date
    private let state = Mutex(State())
    /// How long transfers live (for `expirationTime`).
    public let fileTransferTimeToLive: TimeInterval = 30 * 86400

    public init(storageDirectory: URL, altinnSigner: SandboxTokenSigner, now: @escaping @Sendable () -> Date = { Date() }) throws {
        self.storageDirectory = storageDirectory
        self.altinnSigner = altinnSigner
        self.now = now
        try FileManager.default.createDirectory(at: storageDirectory, withIntermediateDirectories: true)
    }

    // MARK: Test controls

    /// The next `count` calls of `operation` fail with `status` (a ProblemDetails body). A failed upload
    /// leaves its transfer Failed, as the real broker does.
    public func failNext(_ operation: Operation, count: Int = 1, status: HTTPResponse.Status = .internalServerError) {
        state.withLock { $0.faults[operation] = Fault(remaining: count, status: status) }
    }

    /// The same with a plain status code (callers need not import Hummingbird).
    public func failNext(_ operation: Operation, count: Int = 1, statusCode: Int) {
        failNext(operation, count: count, status: HTTPResponse.Status(code: statusCode))
    }

    public func failNextUploads(_ count: Int, status: Int = 500) {
        failNext(.upload, count: count, status: HTTPResponse.Status(code: status))
    }

    /// Transfers and their status, for tests: id → (status, recipient statuses).
    public var transferStatuses: [UUID: (status: String, recipients: [String: String])] {
        state.withLock { state in
            state.transfers.mapValues { transfer in
                (transfer.status.rawValue, Dictionary(uniqueKeysWithValues: transfer.recipients.map { ($0.recipient, $0.status.rawValue) }))
            }
        }
    }

    /// Number of upload requests received (successful or not).
    public var uploadCount: Int { state.withLock { $0.uploads } }

    // MARK: Routes

    public func addRoutes(to router: Router<BasicRequestContext>) {
        let group = router.group(RouterPath(Self.basePath))
        group.post("filetransfer") { request, _ in try await self.initialize(request) }
        group.get("filetransfer") { request, _ in try self.list(request) }
        group.get("filetransfer/:id") { request, context in try self.details(request, context) }
        group.get("filetransfer/:id/details") { request, context in try self.details(request, context) }
        group.post("filetransfer/:id/upload") { request, context in try await self.upload(request, context) }
        group.get("filetransfer/:id/download") { request, context in try self.download(request, context) }
        group.post("filetransfer/:id/confirmdownload") { request, context in try self.confirm(request, context) }
    }

    /// The caller's party (`0192:<orgnr>`) from a valid Altinn token that carries `scope`
    /// (`altinn:broker.write` to send, `altinn:broker.read` to receive, as the OpenAPI document says).
    private func caller(_ request: Request, scope: String) -> String? {
        guard let token = HTTPAnswer.bearerToken(request),
              let claims = altinnSigner.verifiedClaims(of: token, now: now()),
              let organisationNumber = claims["urn:altinn:orgNumber"] as? String, !organisationNumber.isEmpty,
              ((claims["scope"] as? String) ?? "").split(separator: " ").contains(Substring(scope)) else { return nil }
        return "0192:\(organisationNumber)"
    }

    private func unauthorized() -> Response {
        HTTPAnswer.problem(.unauthorized, title: "Unauthorized",
                           detail: "You must use a bearer token that represents a system user with access to the resource (with the altinn:broker.read/write scope the operation needs)")
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

    private func transferID(_ context: BasicRequestContext) -> UUID? {
        context.parameters.get("id").flatMap { UUID(uuidString: $0) }
    }

    private func notFound() -> Response {
        HTTPAnswer.problem(.notFound, title: "Not Found", detail: "The requested file transfer was not found")
    }

    private func initialize(_ request: Request) async throws -> Response {
        guard let caller = caller(request, scope: "altinn:broker.write") else { return unauthorized() }
        if let fault = injectedFault(.initialize) { return fault }
        let body = try await HTTPAnswer.collectBody(request)
        guard let json = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else {
            return HTTPAnswer.problem(.badRequest, title: "Bad Request", detail: "The body is not a FileTransferInitalizeExt JSON object")
        }
        var errors: [String] = []
        let fileName = json["fileName"] as? String ?? ""
        let resourceId = json["resourceId"] as? String ?? ""
        let sender = json["sender"] as? String ?? ""
        let recipients = json["recipients"] as? [String] ?? []
        if fileName.isEmpty || fileName.count > 255 { errors.append("fileName is required (1-255 characters)") }
        if resourceId.isEmpty { errors.append("resourceId is required") }
        if !Self.isParty(sender) { errors.append("sender must match ^\\d{4}:\\d{9}$") }
        if recipients.isEmpty { errors.append("recipients must have at least one element") }
        if let reference = json["sendersFileTransferReference"] as? String, reference.isEmpty || reference.count > 4096 {
            errors.append("sendersFileTransferReference must be 1-4096 characters")
        }
        guard errors.isEmpty else {
            return HTTPAnswer.problem(.badRequest, title: "One or more validation errors occurred.", detail: errors.joined(separator: "; "))
        }
        guard sender == caller else {
            return HTTPAnswer.problem(.unauthorized, title: "Unauthorized", detail: "The token's organisation \(caller) is not the sender \(sender)")
        }
        let now = now()
        let transfer = SandboxFileTransfer(
            id: UUID(), resourceId: resourceId, fileName: fileName,
            sendersFileTransferReference: json["sendersFileTransferReference"] as? String,
            checksum: json["checksum"] as? String, sender: sender,
            propertyList: json["propertyList"] as? [String: String] ?? [:], created: now,
            recipients: recipients.map { .init(recipient: $0, status: .initialized, changed: now) },
            status: .initialized, statusText: "Initialized", statusChanged: now)
        state.withLock { $0.transfers[transfer.id] = transfer }
        return HTTPAnswer.json(["fileTransferId": transfer.id.uuidString.lowercased()])
    }

    /// `^\d{4}:\d{9}$` (an Altinn party, `0192:` and an organisation number), checked on the bytes: a regular
    /// expression made for every initialize cost the sandbox more than the rest of the call.
    static func isParty(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 14, bytes[4] == UInt8(ascii: ":") else { return false }
        return bytes.enumerated().allSatisfy { index, byte in index == 4 || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
    }

    private func payloadURL(_ id: UUID) -> URL {
        storageDirectory.appendingPathComponent("\(id.uuidString.lowercased()).payload")
    }

    private func upload(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        guard let caller = caller(request, scope: "altinn:broker.write") else { return unauthorized() }
        guard let id = transferID(context), let transfer = state.withLock({ $0.transfers[id] }) else { return notFound() }
        guard transfer.sender == caller else {
            return HTTPAnswer.problem(.forbidden, title: "Forbidden", detail: "Only the sender may upload")
        }
        guard transfer.status == .initialized else {
            return HTTPAnswer.problem(.conflict, title: "Conflict",
                                      detail: "A file transfer has already been, or attempted to be, created. Create a new file transfer resource to try again")
        }
        state.withLock {
            $0.uploads += 1
            $0.transfers[id]?.status = .uploadStarted
        }
        let payload: SandboxBrokerPayload
        var md5 = Insecure.MD5()
        do {
            payload = try await SandboxBrokerPayload.receive(request.body, file: payloadURL(id),
                                                             inMemoryLimit: Self.inMemoryLimit) { buffer in
                buffer.withUnsafeReadableBytes { md5.update(bufferPointer: $0) }
            }
        } catch {
            markFailed(id, "Upload interrupted: \(error)")
            throw error
        }
        if let fault = injectedFault(.upload) {
            markFailed(id, "Upload failed (injected fault)")
            payload.remove()
            return fault
        }
        let digest = Hex.lowercase(md5.finalize())
        if let expected = transfer.checksum, expected.lowercased() != digest {
            markFailed(id, "Checksum mismatch")
            payload.remove()
            return HTTPAnswer.problem(.badRequest, title: "Bad Request",
                                      detail: "The checksum of uploaded file did not match the checksum specified in initialize call")
        }
        let now = now()
        state.withLock {
            $0.payloads[id] = payload
            $0.transfers[id]?.size = payload.size
            $0.transfers[id]?.status = .published
            $0.transfers[id]?.statusText = "Published"
            $0.transfers[id]?.statusChanged = now
        }
        return HTTPAnswer.json(["fileTransferId": id.uuidString.lowercased()])
    }

    private func markFailed(_ id: UUID, _ text: String) {
        let now = now()
        state.withLock {
            $0.transfers[id]?.status = .failed
            $0.transfers[id]?.statusText = text
            $0.transfers[id]?.statusChanged = now
        }
    }

    private func list(_ request: Request) throws -> Response {
        guard let caller = caller(request, scope: "altinn:broker.read") else { return unauthorized() }
        if let fault = injectedFault(.list) { return fault }
        let query = request.uri.queryParameters
        let resourceId = query["resourceId"].map(String.init)
        let status = query["status"].map(String.init)
        let recipientStatus = query["recipientStatus"].map(String.init)
        let ids: [String] = state.withLock { state in
            state.transfers.values
                .filter { transfer in
                    let mine = transfer.recipients.first { $0.recipient == caller }
                    guard mine != nil || transfer.sender == caller else { return false }
                    if let resourceId, transfer.resourceId != resourceId { return false }
                    if let status, transfer.status.rawValue != status { return false }
                    if let recipientStatus, mine?.status.rawValue != recipientStatus { return false }
                    return true
                }
                .sorted { $0.created < $1.created }
                .suffix(100)
                .map { $0.id.uuidString.lowercased() }
        }
        return HTTPAnswer.json(ids)
    }

    private func details(_ request: Request, _ context: BasicRequestContext) throws -> Response {
        guard let caller = caller(request, scope: "altinn:broker.read") else { return unauthorized() }
        if let fault = injectedFault(.details) { return fault }
        guard let id = transferID(context), let transfer = state.withLock({ $0.transfers[id] }),
              transfer.sender == caller || transfer.recipients.contains(where: { $0.recipient == caller }) else { return notFound() }
        return HTTPAnswer.json(transfer.overview(expiration: fileTransferTimeToLive))
    }

    private func download(_ request: Request, _ context: BasicRequestContext) throws -> Response {
        guard let caller = caller(request, scope: "altinn:broker.read") else { return unauthorized() }
        if let fault = injectedFault(.download) { return fault }
        guard let id = transferID(context), let transfer = state.withLock({ $0.transfers[id] }),
              let index = transfer.recipients.firstIndex(where: { $0.recipient == caller }) else { return notFound() }
        guard transfer.status == .published || transfer.status == .allConfirmedDownloaded else {
            return HTTPAnswer.problem(.badRequest, title: "Bad Request",
                                      detail: "The requested file transfer's file is not ready for download. See file transfer status")
        }
        let now = now()
        state.withLock { state in
            if state.transfers[id]?.recipients[index].status == .initialized {
                state.transfers[id]?.recipients[index].status = .downloadStarted
                state.transfers[id]?.recipients[index].changed = now
            }
        }
        guard let payload = state.withLock({ $0.payloads[id] }) else {
            return HTTPAnswer.problem(.badRequest, title: "Bad Request",
                                      detail: "The requested file transfer's file has been purged")
        }
        var headers = HTTPFields()
        headers[.contentType] = "application/octet-stream"
        headers[.contentDisposition] = "attachment; filename=\"\(transfer.fileName)\""
        return Response(status: .ok, headers: headers, body: payload.responseBody())
    }

    private func confirm(_ request: Request, _ context: BasicRequestContext) throws -> Response {
        guard let caller = caller(request, scope: "altinn:broker.read") else { return unauthorized() }
        if let fault = injectedFault(.confirm) { return fault }
        guard let id = transferID(context), let transfer = state.withLock({ $0.transfers[id] }),
              let index = transfer.recipients.firstIndex(where: { $0.recipient == caller }) else { return notFound() }
        guard transfer.recipients[index].status != .initialized else {
            return HTTPAnswer.problem(.badRequest, title: "Bad Request", detail: "Cannot confirm before the files have been downloaded")
        }
        let now = now()
        state.withLock { state -> SandboxBrokerPayload? in
            state.transfers[id]?.recipients[index].status = .downloadConfirmed
            state.transfers[id]?.recipients[index].changed = now
            if state.transfers[id]?.recipients.allSatisfy({ $0.status == .downloadConfirmed }) == true {
                state.transfers[id]?.status = .allConfirmedDownloaded
                state.transfers[id]?.statusText = "AllConfirmedDownloaded"
                state.transfers[id]?.statusChanged = now
                return state.payloads.removeValue(forKey: id)
            }
            return nil
        }?.remove()
        return Response(status: .ok)
    }
}
