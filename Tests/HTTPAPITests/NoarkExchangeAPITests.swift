import Engine
import Foundation
import HTTPAPI
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import Logging
import Model
import NIOCore
import NoarkExchange
import Testing
import TestSupport

/// `/noarkExchange`: the SOAP requests an archive system sends (fixtures written after the WSDL and XSDs).
@Suite struct NoarkExchangeAPITests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("NoarkExchangeTests/Fixtures")

    static func fixture(_ name: String) throws -> ByteBuffer {
        ByteBuffer(bytes: try Data(contentsOf: fixtures.appendingPathComponent(name)))
    }

    static func api() throws -> APIFixture {
        let fixture = try APIFixture()
        var api = fixture.api
        let registry = StaticServiceRecords([
            .init(receiver: EngineFixture.receiverOrg, process: EngineFixture.process,
                  documentTypes: [EngineFixture.documentType], serviceIdentifier: .DPO),
        ])
        let service = NoarkExchangeService(outgoing: fixture.engine.outgoing, registry: registry, settings: .init(),
                                           engine: fixture.engine.settings, time: fixture.engine.time,
                                           logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        api.noarkExchange = NoarkExchangeEndpoint(service: service)
        return APIFixture(engine: fixture.engine, api: api)
    }

    static var soapHeaders: HTTPFields {
        var headers = APIFixture.auth
        headers[.contentType] = "text/xml; charset=utf-8"
        headers[HTTPField.Name("SOAPAction")!] = "\"\""
        return headers
    }

    static func body(of response: TestResponse) throws -> XMLTree {
        let envelope = try XMLTree.parse(Data(buffer: response.body))
        return try #require(envelope.child("Body")?.children.first)
    }

    @Test func putMessageWithAMeldingAnswersOKAndSendsTheArkivmelding() async throws {
        let fixture = try Self.api()
        try await fixture.run { client in
            let response = try await client.execute(uri: "/noarkExchange", method: .post, headers: Self.soapHeaders,
                                                    body: try Self.fixture("put-message-escaped.xml"))
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/xml") == true)
            let body = try Self.body(of: response)
            #expect(body.name == "PutMessageResponse")
            #expect(body.child("result")?.attributes["type"] == "OK")
        }
        #expect(try await fixture.engine.worker.runOnce() == 1)
        let delivered = try #require(fixture.engine.channel.delivered.first)
        #expect(delivered.delivery.messageId == "9a4c5fd4-50b1-4bd3-8c5c-7d7c2e6f1a01")
        #expect(delivered.delivery.files.map(\.filename) == ["arkivmelding.xml", "vedtak.pdf", "vedlegg.txt"])
        let sbd = try StandardBusinessDocument.decode(from: Data(delivered.delivery.sbd.utf8))
        #expect(sbd.senderRef == "2024/1234-2")
        #expect(sbd.receiverRef == "2023/55-7")
        let arkivmelding = try XMLTree.parse(Data(try #require(delivered.contents["arkivmelding.xml"])))
        #expect(arkivmelding.child("mappe")?.value("tittel") == "Tilskudd til kulturtiltak 2024")
    }

    @Test func getCanReceiveMessageAnswersFromTheRegistry() async throws {
        let fixture = try Self.api()
        try await fixture.run { client in
            let response = try await client.execute(uri: "/noarkExchange", method: .post, headers: Self.soapHeaders,
                                                    body: try Self.fixture("get-can-receive.xml"))
            #expect(response.status == .ok)
            let body = try Self.body(of: response)
            #expect(body.name == "GetCanReceiveMessageResponse")
            #expect(body.value("result") == "true")
        }
    }

    @Test func theWSDLIsServedWithTheAddressItWasFetchedFrom() async throws {
        let fixture = try Self.api()
        try await fixture.run { client in
            let response = try await client.execute(uri: "/noarkExchange?wsdl", method: .get, headers: APIFixture.auth)
            #expect(response.status == .ok)
            let wsdl = try XMLTree.parse(Data(buffer: response.body))
            #expect(wsdl.name == "definitions")
            let location = wsdl.child("service")?.child("port")?.child("address")?.attributes["location"] ?? ""
            #expect(location.hasPrefix("http://") && location.hasSuffix("/noarkExchange"))
        }
    }

    @Test func credentialsAreRequiredAsForTheAPI() async throws {
        let fixture = try Self.api()
        try await fixture.run { client in
            let response = try await client.execute(uri: "/noarkExchange", method: .post,
                                                    headers: [.contentType: "text/xml"],
                                                    body: try Self.fixture("get-can-receive.xml"))
            #expect(response.status == .unauthorized)
            let wsdl = try await client.execute(uri: "/noarkExchange?wsdl", method: .get)
            #expect(wsdl.status == .unauthorized)
        }
    }

    @Test func malformedSOAPAndUnknownOperationsGetAFaultAndStoreNothing() async throws {
        let fixture = try Self.api()
        try await fixture.run { client in
            let broken = try await client.execute(uri: "/noarkExchange", method: .post, headers: Self.soapHeaders,
                                                  body: ByteBuffer(string: "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body><PutMessageRequest>"))
            #expect(broken.status == .internalServerError)
            let fault = try Self.body(of: broken)
            #expect(fault.name == "Fault")
            #expect(fault.value("faultcode") == "soap:Client")
            #expect(fault.value("faultstring")?.contains("not a SOAP envelope") == true)

            let unknown = try await client.execute(
                uri: "/noarkExchange", method: .post, headers: Self.soapHeaders,
                body: ByteBuffer(string: SOAPEnvelope.wrap("<t:GetNoarksakRequest xmlns:t=\"http://www.arkivverket.no/Noark/Exchange/types\"/>")))
            #expect(unknown.status == .internalServerError)
            #expect(try Self.body(of: unknown).value("faultstring")?.contains("Unknown operation") == true)

            let json = try await client.execute(uri: "/noarkExchange", method: .post, headers: APIFixture.json(),
                                                body: ByteBuffer(string: "{}"))
            #expect(json.status == .internalServerError)
            #expect(try Self.body(of: json).name == "Fault")
        }
        #expect(try await fixture.engine.worker.runOnce() == 0)
    }

    @Test func aPayloadThatIsNeitherMeldingNorAppReceiptGetsAnERRORReceipt() async throws {
        let fixture = try Self.api()
        let request = try String(contentsOf: Self.fixtures.appendingPathComponent("put-message-escaped.xml"), encoding: .utf8)
        let start = try #require(request.range(of: "<payload xmlns=\"\">"))
        let end = try #require(request.range(of: "</payload>"))
        let faktura = request.replacingCharacters(in: start.upperBound..<end.lowerBound, with: "&lt;Faktura xmlns=\"urn:ehf\"/&gt;")
        try await fixture.run { client in
            let response = try await client.execute(uri: "/noarkExchange", method: .post, headers: Self.soapHeaders,
                                                    body: ByteBuffer(string: faktura))
            #expect(response.status == .ok)
            let result = try #require(try Self.body(of: response).child("result"))
            #expect(result.attributes["type"] == "ERROR")
            #expect(result.child("message")?.attributes["code"] == "Unknown")
            #expect(result.child("message")?.value("text")?.contains("neither a NOARK 4 Melding") == true)
        }
        #expect(try await fixture.engine.worker.runOnce() == 0)
        let conversations = try await fixture.engine.store.read { tx in
            try tx.conversations(messageId: "9a4c5fd4-50b1-4bd3-8c5c-7d7c2e6f1a01")
        }
        #expect(conversations.isEmpty)
    }
}

extension APIFixture {
    init(engine: EngineFixture, api: NextMoveAPI) {
        self.engine = engine
        self.api = api
    }
}
