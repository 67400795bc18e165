import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Packaging

/// SvarUt's REST API (`difi.move.fiks.ut.type=rest`, KS `fiks-svarut-klient`): send v3, status v3, external
/// reference v2 and forsendelse types v2 under `difi.move.fiks.ut.rest.endpointUrl`, on the account
/// `difi.move.fiks.ut.rest.kontoid`.
///
/// Every call carries a Maskinporten token with scope `ks:fiks` and the integration's `IntegrasjonId` and
/// `IntegrasjonPassord` headers. Lookups for a sender name it as `consumer_org` in the token, as the upstream's
/// `ClientContext` does; sends do not. The send is `multipart/form-data`: the `forsendelse` JSON, then one part
/// per CMS-encrypted document (`filer_<n>`, filename = `filnavn`), streamed from its file.
public struct SvarUtRESTClient: SvarUtTransport {
    public let kind = "rest"
    public let endpointURL: String
    public let kontoId: String
    /// Our organisation and those we may send for (`difi.move.fiks.ut.paaVegneAv.<orgnr>`).
    public let organisations: Set<String>
    private let integrasjonId: String
    private let integrasjonPassord: String
    private let tokens: @Sendable (_ consumerOrganisation: String?) -> any AccessTokenProvider
    private let httpClient: HTTPClient
    private let requestTimeout: TimeAmount
    private let transferTimeout: TimeAmount

    public init(endpointURL: String, kontoId: String, integrasjonId: String, integrasjonPassord: String,
                organisations: Set<String>, httpClient: HTTPClient,
                tokens: @escaping @Sendable (_ consumerOrganisation: String?) -> any AccessTokenProvider,
                requestTimeout: TimeAmount = .seconds(60), transferTimeout: TimeAmount = .minutes(16)) {
        self.endpointURL = endpointURL
        self.kontoId = kontoId
        self.organisations = organisations
        self.integrasjonId = integrasjonId
        self.integrasjonPassord = integrasjonPassord
        self.tokens = tokens
        self.httpClient = httpClient
        self.requestTimeout = requestTimeout
        self.transferTimeout = transferTimeout
    }

    public func hasCredentials(for sender: String) -> Bool { organisations.contains(sender) }

    public func send(_ forsendelse: Forsendelse, forsendelseId: String, documents: [SvarUtDocument],
                     sender: String) async throws(SvarUtError) -> String {
        var parts = [MultipartBody.Part(headers: [
            ("Content-Disposition", "form-data; name=\"forsendelse\""),
            ("Content-Type", "application/json"),
        ], content: .data(SvarUtRESTEncoding.json(forsendelse)))]
        for (index, document) in documents.enumerated() {
            parts.append(MultipartBody.Part(headers: [
                ("Content-Disposition", "form-data; name=\"filer_\(index)\"; filename=\(MIMEHeaderValue.quoted(document.filnavn))"),
                ("Content-Type", document.mimetype),
            ], content: .file(document.file, size: document.size)))
        }
        let body = MultipartBody(boundary: "svarut-" + UUID().uuidString.lowercased(), parts: parts)
        let answer = try await call("send", path: "api/v3/kontoer/\(kontoId)/forsendelser/organisasjon", method: .POST,
                                    consumer: nil, contentType: "multipart/form-data; boundary=\(body.boundary)",
                                    body: { .stream(body.chunks, length: .known(body.length)) }, timeout: transferTimeout)
        guard let id = (try? JSONSerialization.jsonObject(with: answer.body) as? [String: Any])?["id"] as? String else {
            throw SvarUtError(operation: "send", status: answer.status,
                              detail: "the answer has no forsendelse id: \(answer.text.prefix(500))", isUnrecoverable: false)
        }
        return id
    }

    public func statuses(of forsendelseIds: [String], sender: String) async throws(SvarUtError) -> [SvarUtForsendelseStatus] {
        let request = (try? JSONSerialization.data(withJSONObject: ["id": forsendelseIds])) ?? Data()
        let answer = try await call("status", path: "api/v3/kontoer/\(kontoId)/forsendelser/status/sok", method: .POST,
                                    consumer: sender, contentType: "application/json",
                                    body: { .bytes(ByteBuffer(data: request)) }, timeout: requestTimeout)
        guard let json = try? JSONSerialization.jsonObject(with: answer.body) as? [String: Any],
              let statuses = json["statuser"] as? [[String: Any]] else {
            throw SvarUtError(operation: "status", status: answer.status,
                              detail: "the answer has no statuser: \(answer.text.prefix(500))", isUnrecoverable: false)
        }
        return statuses.compactMap { entry in
            guard let id = entry["id"] as? String, let status = entry["status"] as? String else { return nil }
            return SvarUtForsendelseStatus(forsendelseId: id, status: status,
                                           sisteStatusEndring: (entry["sisteStatusEndring"] as? String).flatMap(SvarUtSOAPClient.date))
        }
    }

    public func forsendelseIds(eksternReferanse: String, sender: String) async throws(SvarUtError) -> [String] {
        let path = "tjenester/api/v2/kontoer/\(kontoId)/forsendelser/?eksternRef=\(HTTPExchange.queryEncode(eksternReferanse))"
        let answer = try await call("eksternRef lookup", path: path, method: .GET, consumer: sender, contentType: nil,
                                    body: { nil }, timeout: requestTimeout)
        guard let json = try? JSONSerialization.jsonObject(with: answer.body) as? [String: Any] else {
            throw SvarUtError(operation: "eksternRef lookup", status: answer.status,
                              detail: "the answer is not JSON: \(answer.text.prefix(500))", isUnrecoverable: false)
        }
        return json["forsendelseIds"] as? [String] ?? []
    }

    public func forsendelseTyper(sender: String) async throws(SvarUtError) -> [String] {
        let answer = try await call("forsendelsestyper", path: "api/v2/forsendelsestyper", method: .GET, consumer: nil,
                                    contentType: nil, body: { nil }, timeout: requestTimeout)
        guard let json = try? JSONSerialization.jsonObject(with: answer.body) as? [String: Any],
              let types = json["forsendelsestyper"] as? [String] else {
            throw SvarUtError(operation: "forsendelsestyper", status: answer.status,
                              detail: "the answer has no forsendelsestyper: \(answer.text.prefix(500))", isUnrecoverable: false)
        }
        return types
    }

    // MARK: Internals

    /// Sends a request; on 401 the token is renewed and the request sent once more (with a fresh body).
    private func call(_ operation: String, path: String, method: HTTPMethod, consumer: String?, contentType: String?,
                      body: () -> HTTPClientRequest.Body?, timeout: TimeAmount) async throws(SvarUtError) -> HTTPAnswer {
        let provider = tokens(consumer)
        var answer = try await exchange(operation, path: path, method: method, provider: provider,
                                        contentType: contentType, body: body(), timeout: timeout)
        if answer.status == 401 {
            await provider.invalidate()
            answer = try await exchange(operation, path: path, method: method, provider: provider,
                                        contentType: contentType, body: body(), timeout: timeout)
        }
        guard answer.isSuccess else {
            throw SvarUtError(operation: operation, status: answer.status, detail: Self.errorText(answer.body))
        }
        return answer
    }

    private func exchange(_ operation: String, path: String, method: HTTPMethod, provider: any AccessTokenProvider,
                          contentType: String?, body: HTTPClientRequest.Body?,
                          timeout: TimeAmount) async throws(SvarUtError) -> HTTPAnswer {
        let token: String
        do { token = try await provider.accessToken() } catch {
            throw SvarUtError(operation: operation, status: (error as? TokenError)?.status,
                              detail: "no Maskinporten token for scope ks:fiks: \(error)", isUnrecoverable: false)
        }
        var request = HTTPClientRequest(url: HTTPExchange.join(endpointURL, path))
        request.method = method
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "IntegrasjonId", value: integrasjonId)
        request.headers.add(name: "IntegrasjonPassord", value: integrasjonPassord)
        if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
        if let body { request.body = body }
        do {
            return try await HTTPExchange.send(request, on: httpClient, timeout: timeout)
        } catch {
            throw SvarUtError(operation: operation, status: nil, detail: "\(error)", isUnrecoverable: false)
        }
    }

    /// SvarUt's `ErrorMessage` (`message`, `errorCode`, `errorJson`), or the body.
    static func errorText(_ body: Data) -> String {
        guard let json = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else {
            return String(decoding: body.prefix(2000), as: UTF8.self)
        }
        let parts = ["message", "errorCode", "errorJson", "error"].compactMap { key -> String? in
            guard let value = json[key] as? String, !value.isEmpty else { return nil }
            return key == "message" ? value : "\(key): \(value)"
        }
        return parts.isEmpty ? String(decoding: body.prefix(2000), as: UTF8.self) : parts.joined(separator: "; ")
    }
}
