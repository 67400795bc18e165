import Foundation
import Testing
@testable import NoarkExchange

@Suite struct NoarkExchangeRequestTests {
    @Test func readsGetCanReceiveMessage() throws {
        let request = try NoarkExchangeRequest.parse(try Fixtures.data("get-can-receive.xml"))
        #expect(request == .getCanReceiveMessage(receiver: NoarkAddress(orgnr: "910075918")))
    }

    @Test func readsAPutMessageWithTheMeldingAsEscapedText() throws {
        let request = try NoarkExchangeRequest.parse(try Fixtures.data("put-message-escaped.xml"))
        guard case .putMessage(let envelope, .melding(let melding)) = request else {
            Issue.record("not a PutMessage with a Melding: \(request)")
            return
        }
        #expect(envelope.conversationId == "9a4c5fd4-50b1-4bd3-8c5c-7d7c2e6f1a01")
        #expect(envelope.sender == NoarkAddress(orgnr: "910077473", name: "Avsenderkommune", ref: "2024/1234-2"))
        #expect(envelope.receiver.ref == "2023/55-7")
        #expect(melding.journpost["jpInnhold"] == "Vedtak om tilskudd & midler")
        #expect(melding.noarksak["saTittel"] == "Tilskudd til kulturtiltak 2024")
        #expect(melding.journpost.avsmot.count == 1)
        #expect(melding.journpost.dokument.map { $0["veFilnavn"] } == ["vedtak.pdf", "vedlegg.txt"])
        #expect(String(decoding: try #require(melding.journpost.dokument[1].fil), as: UTF8.self) == "Hei på deg\n")
    }

    @Test func readsTheSameMeldingInline() throws {
        let escaped = try NoarkExchangeRequest.parse(try Fixtures.data("put-message-escaped.xml"))
        let inline = try NoarkExchangeRequest.parse(try Fixtures.data("put-message-inline.xml"))
        guard case .putMessage(_, let a) = escaped, case .putMessage(let envelope, let b) = inline else {
            Issue.record("not PutMessage requests")
            return
        }
        #expect(a == b)
        #expect(envelope.conversationId == "{7A7F1B0E-1111-4C3D-9E2F-0123456789AB}")
    }

    @Test func readsAnAppReceiptPayload() throws {
        let request = try NoarkExchangeRequest.parse(try Fixtures.data("put-message-appreceipt.xml"))
        guard case .putMessage(_, .appReceipt(let receipt)) = request else {
            Issue.record("not a PutMessage with an AppReceipt: \(request)")
            return
        }
        #expect(receipt == AppReceipt(type: .OK, messages: [.init(code: "OK", text: "Journalført som 2024/77-3")]))
    }

    @Test func malformedSOAPIsAClientFaultThatSaysWhere() {
        #expect {
            try NoarkExchangeRequest.parse(Data("<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body>".utf8))
        } throws: { error in
            guard let fault = error as? SOAPFault else { return false }
            return fault.code == "soap:Client" && fault.message.contains("not a SOAP envelope") && fault.message.contains("line")
        }
        #expect(throws: SOAPFault.self) { try NoarkExchangeRequest.parse(Data("{\"json\": true}".utf8)) }
        #expect {
            try NoarkExchangeRequest.parse(Data("<Envelope><Body/></Envelope>".utf8))
        } throws: { error in
            (error as? SOAPFault)?.message.contains("not a SOAP 1.1 Envelope") == true
        }
    }

    @Test func anUnknownOperationIsAFaultNamingIt() {
        let request = SOAPEnvelope.wrap("<x:GetNoarksak xmlns:x=\"http://www.arkivverket.no/Noark/Exchange/types\"/>")
        #expect {
            try NoarkExchangeRequest.parse(Data(request.utf8))
        } throws: { error in
            let message = (error as? SOAPFault)?.message ?? ""
            return message.contains("Unknown operation") && message.contains("GetNoarksak")
                && message.contains("PutMessage")
        }
    }

    @Test func payloadsThatAreNeitherMeldingNorAppReceiptAreReportedAsSuch() throws {
        func payload(_ inner: String) throws -> PutMessagePayload {
            let body = "<t:PutMessageRequest xmlns:t=\"http://www.arkivverket.no/Noark/Exchange/types\">"
                + "<envelope conversationId=\"c\" contentNamespace=\"n\"><sender><orgnr>910077473</orgnr></sender>"
                + "<receiver><orgnr>910075918</orgnr></receiver></envelope>\(inner)</t:PutMessageRequest>"
            guard case .putMessage(_, let payload) = try NoarkExchangeRequest.parse(Data(SOAPEnvelope.wrap(body).utf8)) else {
                throw SOAPFault.client("not a PutMessage")
            }
            return payload
        }
        #expect(try payload("") == .empty)
        #expect(try payload("<payload>   </payload>") == .empty)
        guard case .unreadable(let other) = try payload("<payload><Faktura xmlns=\"urn:x\"/></payload>") else {
            Issue.record("a Faktura was accepted")
            return
        }
        #expect(other.contains("neither a NOARK 4 Melding"))
        guard case .unreadable(let text) = try payload("<payload>this is not xml</payload>") else {
            Issue.record("plain text was accepted")
            return
        }
        #expect(text.contains("not well-formed XML"))
        guard case .unreadable(let broken) = try payload("<payload>&lt;Melding&gt;&lt;journpost/&gt;&lt;/Melding&gt;</payload>") else {
            Issue.record("a Melding without noarksak was accepted")
            return
        }
        #expect(broken.contains("noarksak"))
    }

    @Test func responsesAreSOAPEnvelopesInTheTypesNamespace() throws {
        let answer = try XMLTree.parse(NoarkExchangeResponse.getCanReceiveMessage(true))
        let body = try #require(answer.child("Body")?.children.first)
        #expect(body.name == "GetCanReceiveMessageResponse")
        #expect(body.namespace == NoarkExchangeNamespaces.types)
        #expect(body.value("result") == "true")

        let receipt = AppReceipt.error(code: AppReceipt.Code.missingServiceRecord, AppReceipt.missingServiceRecordText)
        let read = try NoarkExchangeResponse.readPutMessage(Data(NoarkExchangeResponse.putMessage(receipt).utf8))
        #expect(read == receipt)
    }

    @Test func aFaultAnsweredByAnArchiveSystemIsThrown() {
        let fault = SOAPFault.server("Database is down").envelope()
        #expect(throws: SOAPFault.server("Database is down")) {
            try NoarkExchangeResponse.readPutMessage(Data(fault.utf8))
        }
    }

    @Test func thePutMessageRequestOfEachVendorCarriesTheMeldingAsText() throws {
        let melding = try Melding(element: try XMLTree.parse(try Fixtures.data("melding.xml")))
        let envelope = NoarkEnvelope(conversationId: "c-1", sender: NoarkAddress(orgnr: "910077473", ref: "a"),
                                     receiver: NoarkAddress(orgnr: "910075918"))
        for type in NoarkSystemType.allCases {
            let request = type.putMessageRequest(envelope: envelope, melding: melding)
            let parsed = try NoarkExchangeRequest.parse(Data(request.utf8))
            #expect(parsed == .putMessage(envelope: envelope, payload: .melding(melding)), "\(type)")
            let payload = try #require(try SOAPEnvelope.bodyElement(of: Data(request.utf8)).child("payload"))
            #expect(payload.children.isEmpty, "the payload travels as escaped text")
        }
        #expect(NoarkSystemType.p360.putMessageSOAPAction == "\"http://www.arkivverket.no/Noark/Exchange/IEDUImport/PutMessage\"")
        #expect(NoarkSystemType.ePhorte.putMessageSOAPAction == "\"\"")
        #expect(NoarkSystemType(configured: "p360") == .p360)
        #expect(NoarkSystemType(configured: "websak") == .webSak)
        #expect(NoarkSystemType(configured: "mail") == nil)
    }

    @Test func theWSDLIsTheUpstreamContractAtTheGivenAddress() throws {
        let wsdl = try XMLTree.parse(NoarkExchangeWSDL.document(location: "http://localhost:9093/noarkExchange?a&b"))
        #expect(wsdl.name == "definitions")
        let port = try #require(wsdl.child("service")?.child("port"))
        #expect(wsdl.child("service")?.attributes["name"] == "noarkExchange")
        #expect(port.attributes["name"] == "NoarkExchangePort")
        #expect(port.child("address")?.attributes["location"] == "http://localhost:9093/noarkExchange?a&b")
        let operations = wsdl.child("portType")?.children("operation").compactMap { $0.attributes["name"] }
        #expect(operations == ["GetCanReceiveMessage", "PutMessage"])
        #expect(wsdl.child("types")?.child("schema")?.attributes["targetNamespace"] == NoarkExchangeNamespaces.types)
    }
}
