import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Model
import NoarkExchange
import Packaging

/// SvarUt's SOAP 1.2 `ForsendelsesServiceV9` (`difi.move.fiks.ut.type=ws`) at `difi.move.fiks.ut.ws.endpointUrl`,
/// with HTTP Basic per sender (`difi.move.fiks.ut.username/password`, or `paaVegneAv.<orgnr>.*`).
///
/// `sendForsendelseMedId` goes as MTOM: a `multipart/related` body whose root part is the SOAP envelope and whose
/// other parts are the CMS-encrypted documents, each referenced from its `dokumenter/data` by `xop:Include`; the
/// documents stream from their files. Answers may come plain or as MTOM; faults become `SvarUtError`s.
public struct SvarUtSOAPClient: SvarUtTransport {
    public let kind = "ws"
    public let endpointURL: String
    public let credentials: FiksCredentialDirectory
    private let httpClient: HTTPClient
    private let requestTimeout: TimeAmount
    private let transferTimeout: TimeAmount

    static let rootContentID = "root.message@integrasjonspunkt"

    public init(endpointURL: String, credentials: FiksCredentialDirectory, httpClient: HTTPClient,
                requestTimeout: TimeAmount = .seconds(60), transferTimeout: TimeAmount = .minutes(60)) {
        self.endpointURL = endpointURL
        self.credentials = credentials
        self.httpClient = httpClient
        self.requestTimeout = requestTimeout
        self.transferTimeout = transferTimeout
    }

    public func hasCredentials(for sender: String) -> Bool { credentials.hasCredentials(for: sender) }

    public func send(_ forsendelse: Forsendelse, forsendelseId: String, documents: [SvarUtDocument],
                     sender: String) async throws(SvarUtError) -> String {
        let contentIDs = documents.indices.map { "dokument-\($0)-\(UUID().uuidString.lowercased())@integrasjonspunkt" }
        let envelope = SvarUtSOAPEncoding.sendForsendelseMedId(forsendelse, forsendelseId: forsendelseId,
                                                               contentIDs: contentIDs)
        var parts = [MultipartBody.Part(headers: [
            ("Content-Type", "application/xop+xml; charset=UTF-8; type=\"application/soap+xml\""),
            ("Content-Transfer-Encoding", "binary"),
            ("Content-ID", "<\(Self.rootContentID)>"),
        ], content: .data(Data(envelope.utf8)))]
        for (document, contentID) in zip(documents, contentIDs) {
            parts.append(MultipartBody.Part(headers: [
                ("Content-Type", "application/octet-stream"),
                ("Content-Transfer-Encoding", "binary"),
                ("Content-ID", "<\(contentID)>"),
            ], content: .file(document.file, size: document.size)))
        }
        let body = MultipartBody(parts: parts)
        let contentType = "multipart/related; type=\"application/xop+xml\"; boundary=\"\(body.boundary)\"; "
            + "start=\"<\(Self.rootContentID)>\"; start-info=\"application/soap+xml\""
        let response = try await call("sendForsendelseMedId", sender: sender, contentType: contentType,
                                      body: .stream(body.chunks, length: .known(body.length)), timeout: transferTimeout)
        let id = SvarUtSOAPEncoding.returns(response).first ?? ""
        return id.isEmpty ? forsendelseId : id
    }

    public func statuses(of forsendelseIds: [String], sender: String) async throws(SvarUtError) -> [SvarUtForsendelseStatus] {
        let response = try await call("retrieveForsendelseStatuser", sender: sender,
                                      envelope: SvarUtSOAPEncoding.retrieveForsendelseStatuser(forsendelseIds))
        return response.children("return").compactMap { result in
            guard let id = result.value("forsendelsesid"), let status = result.value("forsendelseStatus") else { return nil }
            return SvarUtForsendelseStatus(forsendelseId: id, status: status,
                                           sisteStatusEndring: result.value("sisteStatusEndring").flatMap(Self.date))
        }
    }

    public func forsendelseIds(eksternReferanse: String, sender: String) async throws(SvarUtError) -> [String] {
        let response = try await call("retrieveForsendelseIdByEksternRef", sender: sender,
                                      envelope: SvarUtSOAPEncoding.retrieveForsendelseIdByEksternRef(eksternReferanse))
        return SvarUtSOAPEncoding.returns(response).filter { !$0.isEmpty }
    }

    public func forsendelseTyper(sender: String) async throws(SvarUtError) -> [String] {
        let response = try await call("retreiveForsendelseTyper", sender: sender,
                                      envelope: SvarUtSOAPEncoding.retreiveForsendelseTyper())
        return SvarUtSOAPEncoding.returns(response).filter { !$0.isEmpty }
    }

    // MARK: Internals

    private func call(_ operation: String, sender: String, envelope: String) async throws(SvarUtError) -> XMLTree {
        try await call(operation, sender: sender, contentType: "application/soap+xml; charset=utf-8",
                       body: .bytes(ByteBuffer(string: envelope)), timeout: requestTimeout)
    }

    private func call(_ operation: String, sender: String, contentType: String, body: HTTPClientRequest.Body,
                      timeout: TimeAmount) async throws(SvarUtError) -> XMLTree {
        guard let login = credentials.credentials(for: sender) else {
            throw SvarUtError(operation: operation, status: nil,
                              detail: "no SvarUt credentials for organisation \(sender); set difi.move.fiks.ut.username and "
                                + "difi.move.fiks.ut.password, or difi.move.fiks.ut.paaVegneAv.\(sender).username/password",
                              isUnrecoverable: true)
        }
        var request = HTTPClientRequest(url: endpointURL)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: contentType)
        request.headers.add(name: "Accept", value: "application/soap+xml, multipart/related, text/xml")
        request.headers.add(name: "Authorization", value: login.authorizationHeader)
        request.body = body
        let answer: HTTPAnswer
        do {
            answer = try await HTTPExchange.send(request, on: httpClient, timeout: timeout)
        } catch {
            throw SvarUtError(operation: operation, status: nil, detail: "\(error)", isUnrecoverable: false)
        }
        let envelope: Data
        do {
            envelope = try await Self.rootPart(of: answer)
        } catch {
            throw SvarUtError(operation: operation, status: answer.status, detail: "\(error)", isUnrecoverable: false)
        }
        let looksLikeSOAP = envelope.prefix(512).range(of: Data("Envelope".utf8)) != nil
        guard answer.isSuccess || looksLikeSOAP else {
            throw SvarUtError(operation: operation, status: answer.status,
                              detail: String(decoding: answer.body.prefix(1000), as: UTF8.self), isUnrecoverable: false)
        }
        return try SvarUtSOAPEncoding.responseElement(envelope, operation: operation, status: answer.status)
    }

    /// The SOAP envelope of an answer: the body itself, or the MTOM root part (the `start` part, else the first).
    static func rootPart(of answer: HTTPAnswer) async throws -> Data {
        let contentType = answer.headers.first(name: "content-type") ?? ""
        guard MIMEHeaderValue.mediaType(contentType).hasPrefix("multipart/"),
              let boundary = MIMEHeaderValue.parameter("boundary", in: contentType) else { return answer.body }
        let start = MIMEHeaderValue.parameter("start", in: contentType)
        let reader = MIMEMultipartReader(boundary: boundary, source: OneChunk(bytes: [UInt8](answer.body)))
        var first: Data?
        while let part = try await reader.nextPart() {
            let bytes = Data(try await reader.readAll(limit: 8 << 20))
            if start == nil || part.value("Content-ID") == start { return bytes }
            if first == nil { first = bytes }
        }
        guard let first else { throw MIMEMultipartError("The MTOM answer has no parts.") }
        return first
    }

    static func date(_ text: String) -> Date? { OffsetDateTime(parsing: text)?.date }
}

/// An async source that yields one chunk, for reading an answer already in memory.
struct OneChunk: AsyncIteratorProtocol {
    var bytes: [UInt8]?
    mutating func next() async throws -> [UInt8]? {
        defer { bytes = nil }
        return bytes
    }
}
