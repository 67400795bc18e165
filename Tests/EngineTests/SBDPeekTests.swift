import Testing
@testable import Engine

@Suite("Reading whether a stored SBD is a status receipt")
struct SBDPeekTests {
    static func sbd(type: String, body: String = "{}") -> String {
        #"{"standardBusinessDocumentHeader":{"documentIdentification":{"type":"\#(type)","standard":"urn:no:difi:eformidling:xsd::\#(type)"}},"\#(type)":\#(body)}"#
    }

    @Test func statusReceipts() {
        #expect(SBDPeek.isStatusDocument(Self.sbd(type: "status", body: #"{"status":"LEVERT"}"#)))
        #expect(SBDPeek.isStatusDocument(Self.sbd(type: "Status")))
        #expect(SBDPeek.isStatusDocument(Self.sbd(type: "STATUS")))
    }

    @Test func otherDocuments() {
        #expect(!SBDPeek.isStatusDocument(Self.sbd(type: "arkivmelding", body: #"{"hoveddokument":"a.pdf"}"#)))
        // "status" in the text, not as the type.
        #expect(!SBDPeek.isStatusDocument(Self.sbd(type: "arkivmelding_kvittering", body: #"{"receiptType":"OK","statusText":"stat"}"#)))
        #expect(!SBDPeek.isStatusDocument(Self.sbd(type: "einnsyn_kvittering", body: #"{"status":"OK"}"#)))
        #expect(!SBDPeek.isStatusDocument("not json, status"))
        #expect(!SBDPeek.isStatusDocument(""))
    }
}
