import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// The Altinn 3 Correspondence calls DPV makes, through Digdir's proxy (`difi.move.dpv.correspondenceServiceUrl`,
/// `altinn-correspondence-v1.json`, `internals.md` §2.2).
///
/// Every call carries the Altinn token from `tokens` (Maskinporten `eformidling:dpv`, exchanged; no system user).
/// A 401 renews the token and tries once more. Failures are ``CorrespondenceError``s.
public struct AltinnCorrespondenceClient: Sendable {
    /// `…/correspondence/api/v1`, without a trailing slash.
    public let serviceURL: String
    private let httpClient: HTTPClient
    private let tokens: any AccessTokenProvider
    private let requestTimeout: TimeAmount
    private let uploadTimeout: TimeAmount

    public init(serviceURL: String, httpClient: HTTPClient, tokens: any AccessTokenProvider,
                requestTimeout: TimeAmount = .seconds(30), uploadTimeout: TimeAmount = .minutes(30)) {
        self.serviceURL = serviceURL
        self.httpClient = httpClient
        self.tokens = tokens
        self.requestTimeout = requestTimeout
        self.uploadTimeout = uploadTimeout
    }

    /// A file to upload with the correspondence, read as a stream.
    public struct Upload: Sendable {
        public var filename: String
        public var contentType: String
        public var size: Int64
        public var open: @Sendable () throws -> AsyncThrowingStream<[UInt8], any Error>

        public init(filename: String, contentType: String, size: Int64,
                    open: @escaping @Sendable () throws -> AsyncThrowingStream<[UInt8], any Error>) {
            self.filename = filename
            self.contentType = contentType
            self.size = size
            self.open = open
        }
    }

    /// `POST /correspondence/upload`: the request's dot-notation fields and the files as `attachments` parts,
    /// streamed. Answers the new correspondence's id.
    public func upload(_ correspondence: CorrespondenceRequest, files: [Upload]) async throws(CorrespondenceError) -> String {
        let body = MultipartBody(boundary: "----integrasjonspunkt-\(UUID().uuidString)",
                                 parts: correspondence.formFields().map { .field(name: $0.0, value: $0.1) }
            + files.map { .file(name: "attachments", filename: $0.filename, contentType: $0.contentType, size: $0.size,
                                open: $0.open) })
        let answer = try await send("correspondence/upload", method: .POST, operation: "upload",
                                    timeout: uploadTimeout) { request in
            request.headers.add(name: "Content-Type", value: body.formDataContentType)
            request.body = .stream(body.chunks, length: .known(body.length))
        }
        guard let json = try? JSONSerialization.jsonObject(with: answer.body) as? [String: Any],
              let first = (json["correspondences"] as? [[String: Any]])?.first,
              let id = first["correspondenceId"] as? String else {
            throw .refused(operation: "upload", status: answer.status,
                           detail: "the answer names no correspondence: \(answer.text.prefix(500))")
        }
        return id
    }

    /// `GET /correspondence/{id}`: the overview with its status and publish/read times.
    public func overview(_ correspondenceId: String) async throws(CorrespondenceError) -> CorrespondenceOverview {
        let answer = try await send("correspondence/\(HTTPExchange.queryEncode(correspondenceId))", method: .GET,
                                    operation: "overview", timeout: requestTimeout)
        do {
            return try CorrespondenceOverview.decode(answer.body)
        } catch {
            throw .refused(operation: "overview", status: answer.status, detail: "the overview cannot be read: \(error)")
        }
    }

    /// `GET /correspondence?sendersReference=…`: the ids of our correspondences with that reference (the messageId).
    public func correspondences(sendersReference: String) async throws(CorrespondenceError) -> [String] {
        let answer = try await send("correspondence?sendersReference=\(HTTPExchange.queryEncode(sendersReference))",
                                    method: .GET, operation: "lookup by sendersReference", timeout: requestTimeout)
        guard let json = try? JSONSerialization.jsonObject(with: answer.body) as? [String: Any] else {
            throw .refused(operation: "lookup by sendersReference", status: answer.status,
                           detail: "the answer is not a list of ids: \(answer.text.prefix(500))")
        }
        return (json["ids"] as? [String]) ?? []
    }

    /// `GET difi.move.dpv.health-check-url` (no token): whether Altinn answers.
    public static func checkHealth(url: String, httpClient: HTTPClient,
                                   timeout: TimeAmount = .seconds(10)) async throws(CorrespondenceError) {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Accept", value: "application/json")
        let answer: HTTPAnswer
        do {
            answer = try await HTTPExchange.send(request, on: httpClient, timeout: timeout, bodyLimit: 1 << 20)
        } catch {
            throw .unreachable(operation: "health check of \(url)", detail: "\(error)")
        }
        guard answer.isSuccess else {
            throw .refused(operation: "health check of \(url)", status: answer.status, detail: answer.text.prefix(300).description)
        }
    }

    // MARK: Internals

    private func send(_ path: String, method: HTTPMethod, operation: String, timeout: TimeAmount,
                      prepare: (inout HTTPClientRequest) -> Void = { _ in }) async throws(CorrespondenceError) -> HTTPAnswer {
        var answer = try await exchange(path, method: method, operation: operation, timeout: timeout, prepare: prepare)
        if answer.status == 401 {
            await tokens.invalidate()
            answer = try await exchange(path, method: method, operation: operation, timeout: timeout, prepare: prepare)
        }
        guard answer.isSuccess else {
            throw .refused(operation: operation, status: answer.status, detail: AltinnBrokerError.problemText(answer.body))
        }
        return answer
    }

    private func exchange(_ path: String, method: HTTPMethod, operation: String, timeout: TimeAmount,
                          prepare: (inout HTTPClientRequest) -> Void) async throws(CorrespondenceError) -> HTTPAnswer {
        let token: String
        do {
            token = try await tokens.accessToken()
        } catch {
            throw .noToken(operation: operation, detail: "\(error)")
        }
        var request = HTTPClientRequest(url: HTTPExchange.join(serviceURL, path))
        request.method = method
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        prepare(&request)
        do {
            return try await HTTPExchange.send(request, on: httpClient, timeout: timeout)
        } catch {
            throw .unreachable(operation: operation, detail: "\(error)")
        }
    }
}
