import Foundation
import Testing
@testable import Model

/// A deterministic UUID source.
final class UUIDSequence: @unchecked Sendable {
    private var n = 0
    func next() -> String {
        n += 1
        return String(format: "00000000-0000-4000-8000-%012d", n)
    }
}

@Suite struct DefaultsTests {
    // 2019-03-25T12:00:00+01:00
    let now = OffsetDateTime(parsing: "2019-03-25T12:00:00+01:00")!.date

    func minimal(_ extraScopes: String = "", type: String = "arkivmelding", message: String = "{}",
                 scopeInformation: String = "") -> StandardBusinessDocument {
        let text = """
        { "standardBusinessDocumentHeader" : { "headerVersion" : "1.0",
            "receiver" : [ { "identifier" : { "value" : "0192:910075918", "authority" : "iso6523-actorid-upis" } } ],
            "documentIdentification" : { "standard" : "s::\(type)", "typeVersion" : "2.0", "type" : "\(type)" },
            "businessScope" : { "scope" : [ { "type" : "ConversationId", "identifier" : "urn:p"\(scopeInformation) }\(extraScopes) ] } },
          "\(type)" : \(message) }
        """
        return try! StandardBusinessDocument.decode(from: Data(text.utf8))
    }

    @Test func fillsEverythingMissing() throws {
        var sbd = minimal(", { \"type\" : \"SenderRef\" }")
        let uuids = UUIDSequence()
        try SBDDefaults.apply(to: &sbd, ownOrgNumber: "910077473", now: now, defaultTtlHours: 24, uuid: uuids.next)
        #expect(sbd.sender?.fullIdentifier == "0192:910077473")
        #expect(sbd.standardBusinessDocumentHeader.sender?.first?.identifier?.authority == "iso6523-actorid-upis")
        #expect(sbd.messageId == "00000000-0000-4000-8000-000000000001")
        #expect(sbd.conversationId == "00000000-0000-4000-8000-000000000002")
        #expect(sbd.senderRef == "00000000-0000-4000-8000-000000000003")
        #expect(sbd.creationDateAndTime?.description == "2019-03-25T12:00:00+01:00")
        #expect(sbd.expectedResponseDateTime?.description == "2019-03-26T12:00:00+01:00")
    }

    @Test func keepsWhatTheClientGave() throws {
        var sbd = try StandardBusinessDocument.decode(from: Data(Fixtures.cucumberDpoRequest.utf8))
        let before = sbd
        try SBDDefaults.apply(to: &sbd, ownOrgNumber: "910077473", now: now, defaultTtlHours: 24, uuid: { "x" })
        #expect(sbd == before)
    }

    @Test func ttlCrossesDaylightSaving() throws {
        var sbd = minimal(scopeInformation: ", \"scopeInformation\" : [ { \"requestingDocumentInstanceIdentifier\" : \"r\" } ]")
        let saturday = OffsetDateTime(parsing: "2019-03-30T12:00:00+01:00")!.date
        try SBDDefaults.apply(to: &sbd, ownOrgNumber: "910077473", now: saturday, defaultTtlHours: 24, uuid: { "u" })
        #expect(sbd.expectedResponseDateTime?.description == "2019-03-31T13:00:00+02:00")
        #expect(sbd.scope(.conversationId)?.scopeInformation.first?.requestingDocumentInstanceIdentifier == "r")
    }

    @Test func missingConversationScope() {
        var sbd = minimal()
        sbd.scopes = [Scope(.senderRef, instanceIdentifier: "a")]
        #expect(throws: NextMoveError.missingConversationIdScope) {
            try SBDDefaults.apply(to: &sbd, ownOrgNumber: "1", now: now, defaultTtlHours: 24, uuid: { "u" })
        }
    }

    @Test func printDefaults() throws {
        var sbd = minimal(type: "print", message: "{ \"hoveddokument\" : \"a.pdf\" }")
        try SBDDefaults.apply(to: &sbd, ownOrgNumber: "1", now: now, defaultTtlHours: 24, uuid: { "u" })
        guard case .print(let p) = sbd.businessMessage else { Issue.record("type"); return }
        #expect(p.utskriftsfarge == "SORT_HVIT" && p.posttype == "B_OEKONOMI")
    }

    @Test func onBehalfOfAndChannel() throws {
        var sbd = minimal()
        sbd.standardBusinessDocumentHeader.sender = [Partner(identifier: PartnerIdentification(value: "0192:111111111"))]
        SBDDefaults.normalizeOnBehalfOf(&sbd, ownOrgNumber: "910075918")
        #expect(sbd.senderValue == "0192:910075918:111111111")
        SBDDefaults.normalizeOnBehalfOf(&sbd, ownOrgNumber: "910075918")
        #expect(sbd.senderValue == "0192:910075918:111111111")
        SBDDefaults.applyMessageChannel(to: &sbd, channel: "kanal-1", uuid: { "c" })
        #expect(sbd.messageChannel == "kanal-1" && sbd.scope(.messageChannel)?.instanceIdentifier == "c")
    }

    @Test func dphConversationIdIsTheMessageId() throws {
        var sbd = minimal()
        sbd.messageId = "00000000-0000-4000-8000-00000000000a"
        SBDDefaults.applyDphConversationId(to: &sbd)
        #expect(sbd.conversationId == "00000000-0000-4000-8000-00000000000a")
    }
}

@Suite struct StatusReceiptTests {
    @Test func shape() throws {
        let original = try StandardBusinessDocument.decode(from: Data(Fixtures.cucumberDpoRequest.utf8))
        let now = OffsetDateTime(parsing: "2019-03-25T12:38:23+01:00")!.date
        let receipt = StandardBusinessDocument.statusReceipt(
            for: original, status: .MOTTATT, receiptProcess: "urn:no:difi:profile:arkivmelding:response:ver1.0", now: now)
        let expected = """
        {
          "standardBusinessDocumentHeader" : {
            "headerVersion" : "1.0",
            "sender" : [ {
              "identifier" : {
                "value" : "0192:910075918",
                "authority" : "iso6523-actorid-upis"
              }
            } ],
            "receiver" : [ {
              "identifier" : {
                "value" : "0192:910077473",
                "authority" : "iso6523-actorid-upis"
              }
            } ],
            "documentIdentification" : {
              "standard" : "urn:no:difi:eformidling:xsd::status",
              "typeVersion" : "2.0",
              "instanceIdentifier" : "ff88849c-e281-4809-8555-7cd54952b916",
              "type" : "status",
              "creationDateAndTime" : "2019-03-25T12:38:18+01:00"
            },
            "businessScope" : {
              "scope" : [ {
                "type" : "ConversationId",
                "instanceIdentifier" : "37efbd4c-413d-4e2c-bbc5-257ef4a65a56",
                "identifier" : "urn:no:difi:profile:arkivmelding:response:ver1.0",
                "scopeInformation" : [ {
                  "expectedResponseDateTime" : "2019-03-26T12:38:23+01:00"
                } ]
              } ]
            }
          },
          "status" : {
            "status" : "MOTTATT"
          }
        }
        """
        #expect(String(decoding: receipt.encodedJSON(), as: UTF8.self) == expected)
        guard case .status(let s) = receipt.businessMessage else { Issue.record("type"); return }
        #expect(s.receiptStatus == .MOTTATT)
    }
}

@Suite struct ConversationFromSBDTests {
    @Test func fields() throws {
        var sbd = try StandardBusinessDocument.decode(from: Data(Fixtures.cucumberDpoRequest.utf8))
        SBDDefaults.normalizeOnBehalfOf(&sbd, ownOrgNumber: "910075918")
        let now = Date(timeIntervalSince1970: 1_553_513_903)
        let c = Conversation(sbd: sbd, direction: .OUTGOING, serviceIdentifier: .DPO, now: now)
        #expect(c.conversationId == "37efbd4c-413d-4e2c-bbc5-257ef4a65a56")
        #expect(c.messageId == "ff88849c-e281-4809-8555-7cd54952b916")
        #expect(c.sender == "0192:910075918:910077473" && c.senderIdentifier == "910077473")
        #expect(c.receiver == "0192:910075918" && c.receiverIdentifier == "910075918")
        #expect(c.processIdentifier == "urn:no:difi:profile:arkivmelding:administrasjon:ver1.0")
        #expect(c.documentIdentifier == "urn:no:difi:arkivmelding:xsd::arkivmelding")
        #expect(c.messageReference == c.conversationId && c.messageTitle == "")
        #expect(c.expiry == OffsetDateTime(parsing: "2019-05-10T00:31:52+01:00")!.date)
    }

    @Test func validationErrorsRenderBothWays() {
        let v = ConstraintViolation(code: "UUID", message: "'x' is not a UUID.", path: "standardBusinessDocumentHeader.documentIdentification.instanceIdentifier",
                                    rejectedValue: .string("x"), fieldType: "java.lang.String")
        let body = NextMoveError.invalidBody([v], objectName: "standardBusinessDocument")
        #expect(body.exception == "org.springframework.web.bind.MethodArgumentNotValidException")
        #expect(body.violations?.first?.codes.first == "UUID.standardBusinessDocument.standardBusinessDocumentHeader.documentIdentification.instanceIdentifier")
        let arg = NextMoveError.invalidArgument([v])
        #expect(arg.message == "standardBusinessDocumentHeader.documentIdentification.instanceIdentifier: 'x' is not a UUID.")
        #expect(arg.violations?.first?.codes == ["UUID"])
    }
}

@Suite struct ResendTests {
    let now = OffsetDateTime(parsing: "2019-03-25T12:00:00+01:00")!.date

    func request(_ hoveddokument: String = "a.pdf") -> StandardBusinessDocument {
        let text = """
        { "standardBusinessDocumentHeader" : { "headerVersion" : "1.0",
            "sender" : [ { "identifier" : { "value" : "0192:111111111", "authority" : "iso6523-actorid-upis" } } ],
            "receiver" : [ { "identifier" : { "value" : "0192:910075918", "authority" : "iso6523-actorid-upis" } } ],
            "documentIdentification" : { "standard" : "s::print", "typeVersion" : "2.0", "type" : "print",
                                         "instanceIdentifier" : "ff88849c-e281-4809-8555-7cd54952b916" },
            "businessScope" : { "scope" : [ { "type" : "ConversationId", "identifier" : "urn:p" }, { "type" : "SenderRef" } ] } },
          "print" : { "hoveddokument" : "\(hoveddokument)" } }
        """
        return try! StandardBusinessDocument.decode(from: Data(text.utf8))
    }

    func stored() throws -> StandardBusinessDocument {
        var sbd = request()
        SBDDefaults.normalizeOnBehalfOf(&sbd, ownOrgNumber: "910077473")
        let uuids = UUIDSequence()
        try SBDDefaults.apply(to: &sbd, ownOrgNumber: "910077473", now: now, defaultTtlHours: 24, uuid: uuids.next)
        SBDDefaults.applyMessageChannel(to: &sbd, channel: "k", uuid: uuids.next)
        return try StandardBusinessDocument.decode(from: sbd.encodedJSON())
    }

    @Test func sameRequestIsAResend() throws {
        #expect(request().isResend(of: try stored(), ownOrgNumber: "910077473"))
        // Sending back what the API answered is a resend too.
        #expect(try stored().isResend(of: try stored(), ownOrgNumber: "910077473"))
    }

    @Test func otherContentIsNot() throws {
        #expect(!request("b.pdf").isResend(of: try stored(), ownOrgNumber: "910077473"))
        var other = request()
        other.processIdentifier = "urn:other"
        #expect(!other.isResend(of: try stored(), ownOrgNumber: "910077473"))
    }
}
