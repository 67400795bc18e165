import AsyncHTTPClient
import Foundation
import Model
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// The Altinn 3 Broker calls DPO makes (`altinn-broker-v1.json`, `internals.md` §2.1).
///
/// Every call carries the Altinn token from `tokens` (an `AltinnTokenExchange` in production). Failures are
/// `AltinnBrokerError`s with the status and ProblemDetails text; `isTransient` tells retry from give-up.
public struct AltinnBrokerClient: Sendable {
    public let configuration: AltinnBrokerConfiguration
    private let httpClient: HTTPClient
    private let tokens: any AccessTokenProvider

    public init(configuration: AltinnBrokerConfiguration, httpClient: HTTPClient, tokens: any AccessTokenProvider) {
        self.configuration = configuration
        self.httpClient = httpClient
        self.tokens = tokens
    }

    /// `POST /filetransfer`: announces a transfer from us to `recipient`; answers its `fileTransferId`.
    public func initializeFileTransfer(recipient: String, sendersFileTransferReference: String,
                                       fileName: String = "sbd.zip", propertyList: [String: String] = [:],
                                       checksum: String? = nil) async throws -> UUID {
        let body = FileTransferInitialize(
            checksum: checksum, fileName: fileName, propertyList: propertyList,
            recipients: [AltinnBrokerConfiguration.party(recipient)],
            resourceId: configuration.resourceID, sender: AltinnBrokerConfiguration.party(configuration.organisationNumber),
            sendersFileTransferReference: sendersFileTransferReference)
        let json = try JacksonJSON.encode(body, pretty: false)
        var request = try await request("filetransfer", method: .POST)
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(data: json))
        let answer = try await send(request, operation: "initialize", timeout: configuration.requestTimeout)
        return try Self.fileTransferID(answer, operation: "initialize")
    }

    /// `POST /filetransfer/{id}/upload`: streams the file as `application/octet-stream`.
    public func upload(fileTransferID: UUID, contentsOf file: URL) async throws {
        var request = try await request("filetransfer/\(Self.id(fileTransferID))/upload", method: .POST)
        request.headers.add(name: "Content-Type", value: "application/octet-stream")
        let size = try file.fileSize()
        request.body = .stream(FileChunks(url: file), length: .known(size))
        let answer = try await send(request, operation: "upload", timeout: configuration.transferTimeout)
        _ = try Self.fileTransferID(answer, operation: "upload")
    }

    /// `POST /filetransfer/{id}/upload` with bytes in memory (small transfers).
    public func upload(fileTransferID: UUID, bytes: Data) async throws {
        var request = try await request("filetransfer/\(Self.id(fileTransferID))/upload", method: .POST)
        request.headers.add(name: "Content-Type", value: "application/octet-stream")
        request.body = .bytes(ByteBuffer(data: bytes))
        let answer = try await send(request, operation: "upload", timeout: configuration.transferTimeout)
        _ = try Self.fileTransferID(answer, operation: "upload")
    }

    /// `GET /filetransfer?resourceId=…&status=Published[&recipientStatus=…]`: published transfers for our resource
    /// where we take part (at most the newest 100).
    ///
    /// The upstream asks for `recipientStatus=Initialized`; a transfer downloaded but not yet confirmed (the receiver
    /// crashed or failed to store it) is then DownloadStarted and never listed again. `DPOTransport` therefore lists
    /// without it and skips the transfers it has confirmed, using the details.
    public func publishedFileTransfers(recipientStatus: String? = nil) async throws -> [UUID] {
        var query = "resourceId=\(HTTPExchange.queryEncode(configuration.resourceID))&status=Published"
        if let recipientStatus { query += "&recipientStatus=\(HTTPExchange.queryEncode(recipientStatus))" }
        let request = try await request("filetransfer?\(query)", method: .GET)
        let answer = try await send(request, operation: "list", timeout: configuration.requestTimeout)
        guard let ids = try? JSONDecoder().decode([UUID].self, from: answer.body) else {
            throw AltinnBrokerError(operation: "list", status: answer.status, detail: "the answer is not a list of ids: \(answer.text.prefix(500))")
        }
        return ids
    }

    /// `GET /filetransfer/{id}`: the transfer's overview and status.
    public func fileTransfer(_ id: UUID) async throws -> FileTransferOverview {
        let request = try await request("filetransfer/\(Self.id(id))", method: .GET)
        let answer = try await send(request, operation: "details", timeout: configuration.requestTimeout)
        do {
            return try JSONDecoder().decode(FileTransferOverview.self, from: answer.body)
        } catch {
            throw AltinnBrokerError(operation: "details", status: answer.status, detail: "the overview cannot be read: \(error)")
        }
    }

    /// `GET /filetransfer/{id}/download`: streams the payload into `file`; answers the byte count.
    @discardableResult
    public func download(_ id: UUID, to file: URL) async throws -> Int64 {
        let response = try await downloadResponse(id)
        _ = FileManager.default.createFile(atPath: file.path, contents: nil)
        let handle = try FileHandle(forWritingTo: file)
        defer { try? handle.close() }
        var written: Int64 = 0
        do {
            for try await buffer in response.body {
                try handle.write(contentsOf: buffer.readableBytesView)
                written += Int64(buffer.readableBytes)
            }
        } catch {
            throw AltinnBrokerError(operation: "download", status: nil, detail: "the download broke off after \(written) bytes: \(error)")
        }
        return written
    }

    /// What `download(_:inMemoryUpTo:spillingTo:)` got: the bytes, or the file they went to.
    public enum Downloaded: Sendable {
        case memory(Data)
        case file(URL)
    }

    /// `GET /filetransfer/{id}/download` into memory while it is at most `limit` bytes, moving it to `file`
    /// (which the caller then owns) once it grows beyond; the declared size is not trusted either way.
    public func download(_ id: UUID, inMemoryUpTo limit: Int, spillingTo file: URL) async throws -> Downloaded {
        let response = try await downloadResponse(id)
        var collected = Data()
        var handle: FileHandle?
        defer { try? handle?.close() }
        var written: Int64 = 0
        do {
            for try await buffer in response.body {
                written += Int64(buffer.readableBytes)
                if let handle {
                    try handle.write(contentsOf: buffer.readableBytesView)
                } else if collected.count + buffer.readableBytes <= limit {
                    collected.append(contentsOf: buffer.readableBytesView)
                } else {
                    _ = FileManager.default.createFile(atPath: file.path, contents: nil)
                    let opened = try FileHandle(forWritingTo: file)
                    handle = opened
                    try opened.write(contentsOf: collected)
                    try opened.write(contentsOf: buffer.readableBytesView)
                    collected = Data()
                }
            }
        } catch {
            throw AltinnBrokerError(operation: "download", status: nil, detail: "the download broke off after \(written) bytes: \(error)")
        }
        return handle == nil ? .memory(collected) : .file(file)
    }

    /// `POST /filetransfer/{id}/confirmdownload`.
    public func confirmDownload(_ id: UUID) async throws {
        let request = try await request("filetransfer/\(Self.id(id))/confirmdownload", method: .POST)
        _ = try await send(request, operation: "confirm download", timeout: configuration.requestTimeout)
    }

    // MARK: Internals

    /// The answer to `GET /filetransfer/{id}/download` once it is known to be a success; its body is still to read.
    private func downloadResponse(_ id: UUID) async throws -> HTTPClientResponse {
        let request = try await request("filetransfer/\(Self.id(id))/download", method: .GET)
        let response: HTTPClientResponse
        do {
            response = try await httpClient.execute(request, timeout: configuration.transferTimeout)
        } catch {
            throw AltinnBrokerError(operation: "download", status: nil, detail: "\(error)")
        }
        guard (200..<300).contains(response.status.code) else {
            let body = (try? await response.body.collect(upTo: 1 << 20)).map { Data(buffer: $0) } ?? Data()
            throw AltinnBrokerError(operation: "download", status: Int(response.status.code), detail: AltinnBrokerError.problemText(body))
        }
        return response
    }

    private func request(_ path: String, method: HTTPMethod) async throws -> HTTPClientRequest {
        var request = HTTPClientRequest(url: HTTPExchange.join(configuration.brokerServiceURL, path))
        request.method = method
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "Authorization", value: "Bearer \(try await token())")
        return request
    }

    /// Sends the request; on 401 the token is renewed and the request sent once more (tokens can be revoked or
    /// expire early on the broker's side).
    private func send(_ request: HTTPClientRequest, operation: String, timeout: TimeAmount) async throws -> HTTPAnswer {
        var answer = try await exchange(request, operation: operation, timeout: timeout)
        if answer.status == 401 {
            await tokens.invalidate()
            var retry = request
            retry.headers.replaceOrAdd(name: "Authorization", value: "Bearer \(try await token())")
            answer = try await exchange(retry, operation: operation, timeout: timeout)
        }
        guard answer.isSuccess else {
            throw AltinnBrokerError(operation: operation, status: answer.status, detail: AltinnBrokerError.problemText(answer.body))
        }
        return answer
    }

    private func exchange(_ request: HTTPClientRequest, operation: String, timeout: TimeAmount) async throws -> HTTPAnswer {
        do {
            return try await HTTPExchange.send(request, on: httpClient, timeout: timeout)
        } catch let failure as HTTPExchange.TransportFailure {
            throw AltinnBrokerError(operation: operation, status: nil, detail: failure.description)
        }
    }

    private func token() async throws -> String {
        do { return try await tokens.accessToken() } catch let error as TokenError {
            throw AltinnBrokerError(operation: "authenticate", status: error.status, detail: error.description)
        }
    }

    private static func fileTransferID(_ answer: HTTPAnswer, operation: String) throws -> UUID {
        guard let json = try? JSONSerialization.jsonObject(with: answer.body) as? [String: Any],
              let text = json["fileTransferId"] as? String, let id = UUID(uuidString: text) else {
            throw AltinnBrokerError(operation: operation, status: answer.status, detail: "the answer has no fileTransferId: \(answer.text.prefix(500))")
        }
        return id
    }

    private static func id(_ id: UUID) -> String { id.uuidString.lowercased() }
}

/// The body of `POST /filetransfer` (`FileTransferInitalizeExt`), members in name order as before (a dictionary
/// through `JSONSerialization` with sorted keys, whose collation cost more than the rest of the call).
struct FileTransferInitialize: Encodable {
    var checksum: String?
    var fileName: String
    var propertyList: [String: String]
    var recipients: [String]
    var resourceId: String
    var sender: String
    var sendersFileTransferReference: String

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: JSONKey.self)
        try c.encodeIfPresent(checksum, forKey: JSONKey("checksum"))
        try c.encode(fileName, forKey: JSONKey("fileName"))
        var properties = c.nestedContainer(keyedBy: JSONKey.self, forKey: JSONKey("propertyList"))
        for (name, value) in propertyList.sorted(by: { $0.key < $1.key }) { try properties.encode(value, forKey: JSONKey(name)) }
        try c.encode(recipients, forKey: JSONKey("recipients"))
        try c.encode(resourceId, forKey: JSONKey("resourceId"))
        try c.encode(sender, forKey: JSONKey("sender"))
        try c.encode(sendersFileTransferReference, forKey: JSONKey("sendersFileTransferReference"))
    }
}

