import AsyncHTTPClient
import Foundation
import Model
import NIOCore
import NIOHTTP1

/// The DPI corner 2 ("meldingsformidler") REST API (`internals.md` §2.6): send a letter, read its statuses, poll the
/// receipts and mark them read. Every call carries a Maskinporten bearer token.
public struct Corner2Client: Sendable {
    /// A status of a sent letter at corner 2 (`GET messages/out/{id}/statuses`).
    public struct MessageStatus: Sendable, Equatable {
        /// `OPPRETTET`, `SENDT` or `FEILET`.
        public var status: String
        public var timestamp: Date?
        public var description: String?
    }

    /// An item of `GET messages/in`: a receipt as a signed forretningsmelding.
    public struct ReceivedMessage: Sendable, Equatable {
        public var forretningsmelding: String
        public var downloadURL: String?
    }

    public struct Configuration: Sendable {
        /// `difi.move.dpi.uri`, without a trailing slash.
        public var baseURL: String
        /// `difi.move.dpi.pageSize`.
        public var pageSize: Int
        /// `difi.move.dpi.timeout.read`: the limit of one call (an upload included).
        public var timeout: TimeAmount

        public init(baseURL: String, pageSize: Int = 100, timeout: TimeAmount = .seconds(60)) {
            self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
            self.pageSize = pageSize
            self.timeout = timeout
        }
    }

    public let configuration: Configuration
    private let httpClient: HTTPClient

    public init(configuration: Configuration, httpClient: HTTPClient) {
        self.configuration = configuration
        self.httpClient = httpClient
    }

    /// `POST messages/out?kanal=<channel>`: multipart with `forretningsmelding` (`sbd.jwt`, `application/jwt`) and
    /// `dokumentpakke` (`asic.cms`, `application/cms`), the package streamed from memory or its temporary file.
    public func send(forretningsmelding jwt: String, dokumentpakke: SpilledBytes, channel: String?, token: String) async throws {
        var url = HTTPExchange.join(configuration.baseURL, "messages/out")
        if let channel { url += "?kanal=\(HTTPExchange.queryEncode(channel))" }
        let forretningsmelding = SpilledBytes(storage: .memory(Data(jwt.utf8)), size: Int64(jwt.utf8.count), sha256: Data())
        let body = MultipartBody(boundary: "----integrasjonspunkt-\(UUID().uuidString)", parts: [
            .file(name: "forretningsmelding", filename: "sbd.jwt", contentType: "application/jwt",
                  size: forretningsmelding.size, open: { try forretningsmelding.stream() }),
            .file(name: "dokumentpakke", filename: "asic.cms", contentType: "application/cms",
                  size: dokumentpakke.size, open: { try dokumentpakke.stream() }),
        ])
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Content-Type", value: body.formDataContentType)
        request.body = .stream(body.chunks, length: .known(body.length))
        let answer = try await exchange(request, operation: "send (messages/out)")
        guard answer.isSuccess else { throw failure(answer, operation: "send (messages/out)") }
    }

    /// `GET messages/out/{messageId}/statuses`.
    public func statuses(messageId: String, token: String) async throws -> [MessageStatus] {
        let url = HTTPExchange.join(configuration.baseURL, "messages/out/\(HTTPExchange.pathSegment(messageId))/statuses")
        let answer = try await get(url, token: token, operation: "statuses")
        guard let items = try? JSONSerialization.jsonObject(with: answer.body) as? [[String: Any]] else {
            throw DPIError.corner2(operation: "statuses", status: answer.status,
                                   detail: "the answer is not a list of statuses: \(answer.text.prefix(300))")
        }
        return items.map { item in
            MessageStatus(status: (item["status"] as? String) ?? "",
                          timestamp: (item["timestamp"] as? String).flatMap { OffsetDateTime(parsing: $0)?.date },
                          description: item["beskrivelse"] as? String ?? item["description"] as? String)
        }
    }

    /// `GET messages/in?kanal=&avsenderidentifikator=&page_size=`: the receipts waiting on a channel.
    public func receivedMessages(channel: String?, avsenderidentifikator: String?, token: String) async throws -> [ReceivedMessage] {
        var query: [String] = []
        if let avsenderidentifikator { query.append("avsenderidentifikator=\(HTTPExchange.queryEncode(avsenderidentifikator))") }
        if let channel { query.append("kanal=\(HTTPExchange.queryEncode(channel))") }
        query.append("page_size=\(configuration.pageSize)")
        let url = HTTPExchange.join(configuration.baseURL, "messages/in") + "?" + query.joined(separator: "&")
        let answer = try await get(url, token: token, operation: "receipts (messages/in)")
        guard let items = try? JSONSerialization.jsonObject(with: answer.body) as? [[String: Any]] else {
            throw DPIError.corner2(operation: "receipts (messages/in)", status: answer.status,
                                   detail: "the answer is not a list of messages: \(answer.text.prefix(300))")
        }
        return items.compactMap { item in
            guard let jwt = item["forretningsmelding"] as? String else { return nil }
            return ReceivedMessage(forretningsmelding: jwt, downloadURL: item["downloadurl"] as? String)
        }
    }

    /// `POST messages/in/{messageId}/read`; a 404 (already gone) is fine.
    public func markAsRead(messageId: String, token: String) async throws {
        let url = HTTPExchange.join(configuration.baseURL, "messages/in/\(HTTPExchange.pathSegment(messageId))/read")
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        let answer = try await exchange(request, operation: "mark read")
        guard answer.isSuccess || answer.status == 404 else { throw failure(answer, operation: "mark read") }
    }

    // MARK: Internals

    private func get(_ url: String, token: String, operation: String) async throws -> HTTPAnswer {
        var request = HTTPClientRequest(url: url)
        request.method = .GET
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        let answer = try await exchange(request, operation: operation)
        guard answer.isSuccess else { throw failure(answer, operation: operation) }
        return answer
    }

    private func exchange(_ request: HTTPClientRequest, operation: String) async throws -> HTTPAnswer {
        do {
            return try await HTTPExchange.send(request, on: httpClient, timeout: configuration.timeout)
        } catch let failure as HTTPExchange.TransportFailure {
            throw DPIError.corner2(operation: operation, status: nil, detail: failure.description)
        }
    }

    private func failure(_ answer: HTTPAnswer, operation: String) -> DPIError {
        let json = try? JSONSerialization.jsonObject(with: answer.body) as? [String: Any]
        let detail = (json?["detail"] as? String) ?? (json?["message"] as? String) ?? (json?["error_description"] as? String)
            ?? String(answer.text.prefix(500))
        return .corner2(operation: operation, status: answer.status, detail: detail.isEmpty ? "(no body)" : detail)
    }
}

extension Corner2Client.MessageStatus {
    /// What the status means for the letter, as the upstream maps it: `OPPRETTET` → SENDT (corner 2 has it),
    /// `SENDT` → MOTTATT (corner 3 has it), `FEILET` → FEIL, anything else ANNET. `at` is the status's own time
    /// where the upstream uses it (MOTTATT), nil where it records the time of polling.
    public var meaning: (status: ReceiptStatus, description: String, at: Date?) {
        switch status.uppercased() {
        case "OPPRETTET": (.SENDT, "Hjørne 2 har mottatt meldingen", nil)
        case "SENDT": (.MOTTATT, "Hjørne 3 har mottatt meldingen", timestamp)
        case "FEILET": (.FEIL, "Generell melding om at det har skjedd en feil", nil)
        default: (.ANNET, "Ukjent kvittering", nil)
        }
    }
}
