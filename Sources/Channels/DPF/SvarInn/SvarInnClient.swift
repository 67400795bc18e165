import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// KS SvarInn's receiving API ("MottakService v1") under `difi.move.fiks.inn.baseUrl`, with HTTP Basic per
/// mailbox (`difi.move.fiks.inn.username/password`, or `paaVegneAv.<orgnr>.*` for the organisations we receive
/// for): list new forsendelser, download one (a CMS-encrypted ZIP, streamed to a file), and answer it with
/// `kvitterMottak` (taken) or `mottakFeilet` (cannot be taken; SvarUt then tries other channels).
public struct SvarInnClient: Sendable {
    public let baseURL: String
    public let credentials: FiksCredentialDirectory
    private let httpClient: HTTPClient
    private let requestTimeout: TimeAmount
    private let downloadTimeout: TimeAmount

    public init(baseURL: String, credentials: FiksCredentialDirectory, httpClient: HTTPClient,
                requestTimeout: TimeAmount = .seconds(30), downloadTimeout: TimeAmount = .minutes(60)) {
        self.baseURL = baseURL
        self.credentials = credentials
        self.httpClient = httpClient
        self.requestTimeout = requestTimeout
        self.downloadTimeout = downloadTimeout
    }

    /// `GET /mottaker/hentNyeForsendelser` in the mailbox of `organisation`.
    public func newForsendelser(mailbox organisation: String) async throws(SvarInnError) -> [SvarInnForsendelse] {
        let answer = try await call("hentNyeForsendelser", url: HTTPExchange.join(baseURL, "mottaker/hentNyeForsendelser"),
                                    method: .GET, mailbox: organisation)
        do {
            return try SvarInnForsendelse.list(from: answer.body)
        } catch {
            throw SvarInnError(operation: "hentNyeForsendelser", status: answer.status,
                               detail: "the answer is not a list of forsendelser: \(answer.text.prefix(500))")
        }
    }

    /// `GET downloadUrl`: streams the encrypted file to `file`, refusing more than `limit` bytes; answers its size.
    @discardableResult
    public func download(_ forsendelse: SvarInnForsendelse, mailbox organisation: String, to file: URL,
                         limit: Int64) async throws(SvarInnError) -> Int64 {
        let url = forsendelse.downloadUrl.lowercased().hasPrefix("http") ? forsendelse.downloadUrl
            : HTTPExchange.join(baseURL, forsendelse.downloadUrl)
        var request = HTTPClientRequest(url: url)
        request.method = .GET
        request.headers.add(name: "Authorization", value: try authorization("download", mailbox: organisation))
        let response: HTTPClientResponse
        do { response = try await httpClient.execute(request, timeout: downloadTimeout) } catch {
            throw SvarInnError(operation: "download", status: nil, detail: "cannot reach \(url): \(error)")
        }
        guard (200..<300).contains(response.status.code) else {
            let body = (try? await response.body.collect(upTo: 64 << 10)).map { String(buffer: $0) } ?? ""
            throw SvarInnError(operation: "download", status: Int(response.status.code), detail: body)
        }
        do {
            guard FileManager.default.createFile(atPath: file.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: file.path])
            }
            let handle = try FileHandle(forWritingTo: file)
            defer { try? handle.close() }
            var written: Int64 = 0
            for try await buffer in response.body {
                written += Int64(buffer.readableBytes)
                guard written <= limit else {
                    throw SvarInnError(operation: "download", status: nil,
                                       detail: "the file of forsendelse \(forsendelse.id) is larger than \(limit) bytes")
                }
                try handle.write(contentsOf: buffer.readableBytesView)
            }
            return written
        } catch let error as SvarInnError {
            throw error
        } catch {
            throw SvarInnError(operation: "download", status: nil, detail: "the download of \(forsendelse.id) broke off: \(error)")
        }
    }

    /// `POST /kvitterMottak/forsendelse/{id}`: the forsendelse is taken; SvarInn stops offering it.
    public func kvitterMottak(_ forsendelse: SvarInnForsendelse, mailbox organisation: String) async throws(SvarInnError) {
        _ = try await call("kvitterMottak", url: HTTPExchange.join(baseURL, "kvitterMottak/forsendelse/\(HTTPExchange.pathSegment(forsendelse.id))"),
                           method: .POST, mailbox: organisation)
    }

    /// `POST /mottakFeilet/forsendelse/{id}` with `{"feilmelding", "permanent"}`: the forsendelse cannot be taken.
    /// A permanent failure sends it on by SvarUt's other channels.
    public func mottakFeilet(_ forsendelse: SvarInnForsendelse, mailbox organisation: String, feilmelding: String,
                             permanent: Bool = true) async throws(SvarInnError) {
        let body = (try? JSONSerialization.data(withJSONObject: ["feilmelding": feilmelding, "permanent": permanent],
                                                options: [.sortedKeys])) ?? Data()
        _ = try await call("mottakFeilet", url: HTTPExchange.join(baseURL, "mottakFeilet/forsendelse/\(HTTPExchange.pathSegment(forsendelse.id))"),
                           method: .POST, mailbox: organisation, json: body)
    }

    // MARK: Internals

    private func authorization(_ operation: String, mailbox organisation: String) throws(SvarInnError) -> String {
        guard let login = credentials.credentials(for: organisation) else {
            throw SvarInnError(operation: operation, status: nil,
                               detail: "no SvarInn credentials for \(organisation); set difi.move.fiks.inn.username/password "
                                + "or difi.move.fiks.inn.paaVegneAv.\(organisation).username/password")
        }
        return login.authorizationHeader
    }

    private func call(_ operation: String, url: String, method: HTTPMethod, mailbox: String,
                      json: Data? = nil) async throws(SvarInnError) -> HTTPAnswer {
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "Authorization", value: try authorization(operation, mailbox: mailbox))
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(data: json))
        }
        let answer: HTTPAnswer
        do { answer = try await HTTPExchange.send(request, on: httpClient, timeout: requestTimeout) } catch {
            throw SvarInnError(operation: operation, status: nil, detail: "\(error)")
        }
        guard answer.isSuccess else {
            throw SvarInnError(operation: operation, status: answer.status, detail: String(answer.text.prefix(2000)))
        }
        return answer
    }
}
