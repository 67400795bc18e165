import AsyncHTTPClient
import Channels
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NoarkExchange
import Sandbox
import Synchronization
import Testing

/// The archive system's BEST/EDU client against a loopback server that answers what archive systems answer.
@Suite struct NoarkSystemClientTests {
    struct Seen: Sendable {
        var soapAction: String?
        var authorization: String?
        var contentType: String?
        var body: Data
    }

    final class Recorder: Sendable {
        let requests = Mutex<[Seen]>([])
        var first: Seen? { requests.withLock { $0.first } }
    }

    /// Serves `answer` (status, content type, body) and records the requests.
    static func withServer(_ status: HTTPResponse.Status, _ contentType: String, _ answer: String,
                           _ body: (String, Recorder) async throws -> Void) async throws {
        let seen = Recorder()
        let router = Router()
        router.post("best") { request, _ -> Response in
            var request = request
            let bytes = try await request.collectBody(upTo: 1 << 20)
            seen.requests.withLock {
                $0.append(Seen(soapAction: request.headers[HTTPField.Name("SOAPAction")!],
                               authorization: request.headers[.authorization],
                               contentType: request.headers[.contentType], body: Data(buffer: bytes)))
            }
            return Response(status: status, headers: [.contentType: contentType],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: answer)))
        }
        let server = try await SandboxHTTPServer.start(router: router, name: "archive",
                                                       logger: Logger(label: "t", factory: { _ in SwiftLogNoOpLogHandler() }))
        do {
            try await body("\(server.baseURL)/best", seen)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    static let melding = Melding(journpost: .init(fields: ["jpInnhold": "Brev"]), noarksak: .init(fields: ["saTittel": "Sak"]))
    static let envelope = NoarkEnvelope(conversationId: "c-1", sender: .init(orgnr: "910077473"), receiver: .init(orgnr: "910075918"))

    @Test func p360GetsItsSOAPActionAndDomainUsersBasicAuthentication() async throws {
        let ok = NoarkExchangeResponse.putMessage(.ok)
        try await Self.withServer(.ok, "text/xml; charset=utf-8", ok) { url, seen in
            let client = NoarkSystemClient(configuration: .init(endpointURL: url, type: .p360, username: "edu",
                                                                password: "pw", domain: "KOMMUNE"), http: .shared)
            let receipt = try await client.putMessage(envelope: Self.envelope, melding: Self.melding)
            #expect(receipt == .ok)
            let request = try #require(seen.first)
            #expect(request.soapAction == "\"http://www.arkivverket.no/Noark/Exchange/IEDUImport/PutMessage\"")
            #expect(request.authorization == "Basic " + Data("KOMMUNE\\edu:pw".utf8).base64EncodedString())
            #expect(request.contentType?.hasPrefix("text/xml") == true)
            #expect(try NoarkExchangeRequest.parse(request.body) == .putMessage(envelope: Self.envelope, payload: .melding(Self.melding)))
        }
    }

    @Test func anERRORReceiptIsReturnedAsSuch() async throws {
        let error = NoarkExchangeResponse.putMessage(.error(code: "E", "Ukjent arkivdel"))
        try await Self.withServer(.ok, "text/xml", error) { url, seen in
            let client = NoarkSystemClient(configuration: .init(endpointURL: url, type: .ePhorte), http: .shared)
            let receipt = try await client.putMessage(envelope: Self.envelope, melding: Self.melding)
            #expect(receipt == .error(code: "E", "Ukjent arkivdel"))
            let request = try #require(seen.first)
            #expect(request.soapAction == "\"\"")
            #expect(request.authorization == nil)
        }
    }

    @Test func aSOAPFaultOnHTTP500IsThrownWithItsText() async throws {
        try await Self.withServer(.internalServerError, "text/xml", SOAPFault.server("Object reference not set").envelope()) { url, _ in
            let client = NoarkSystemClient(configuration: .init(endpointURL: url, type: .webSak), http: .shared)
            await #expect(throws: SOAPFault.server("Object reference not set")) {
                try await client.putMessage(envelope: Self.envelope, melding: Self.melding)
            }
        }
    }

    @Test func anAnswerThatIsNotSOAPIsAnErrorWithTheStatusAndAnExcerpt() async throws {
        try await Self.withServer(.badGateway, "text/html", "<html><body>Bad gateway</body></html>") { url, _ in
            let client = NoarkSystemClient(configuration: .init(endpointURL: url, type: .noarkExchange), http: .shared)
            await #expect {
                try await client.putMessage(envelope: Self.envelope, melding: Self.melding)
            } throws: { error in
                "\(error)".contains("HTTP 502") && "\(error)".contains("Bad gateway")
            }
        }
    }
}
