import Foundation
import Testing
@testable import Model

@Suite struct ValidationTests {
    let now = OffsetDateTime(parsing: "2019-03-25T12:00:00+01:00")!.date

    func decode(_ text: String) -> StandardBusinessDocument {
        try! StandardBusinessDocument.decode(from: Data(text.utf8))
    }

    @Test func validDocumentHasNoViolations() {
        #expect(SBDValidator.validate(decode(Fixtures.cucumberDpoRequest), now: now).isEmpty)
    }

    @Test func everyRule() {
        let text = """
        { "standardBusinessDocumentHeader" : {
            "sender" : [ { "identifier" : { "value" : "9908:1" } }, { } ],
            "receiver" : [ { "identifier" : { "authority" : "iso6523-actorid-upis" } } ],
            "documentIdentification" : { "instanceIdentifier" : "not-a-uuid", "type" : "arkivmelding" },
            "businessScope" : { "scope" : [
              { "type" : "ConversationId", "instanceIdentifier" : "nope", "scopeInformation" : [ { "expectedResponseDateTime" : "2019-03-25T11:00:00+01:00" } ] },
              { "type" : "Weird" }, { "identifier" : "x" } ] } },
          "arkivmelding" : {} }
        """
        let v = SBDValidator.validate(decode(text), now: now)
        let byPath = Dictionary(v.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
        let h = "standardBusinessDocumentHeader"
        #expect(byPath["\(h).headerVersion"]?.message == "must not be null")
        #expect(byPath["\(h).sender"]?.message == "size must be between 0 and 1")
        #expect(byPath["\(h).sender"]?.code == "Size")
        #expect(byPath["\(h).sender[0].identifier.authority"]?.message == "must not be null")
        #expect(byPath["\(h).sender[0].identifier.value"]?.message == "{no.difi.meldingsutveksling.validation.IntegrasjonspunktOrganization}")
        #expect(byPath["\(h).sender[1].identifier"]?.code == "NotNull")
        #expect(byPath["\(h).receiver[0].identifier.value"]?.message == "must not be null")
        #expect(byPath["\(h).documentIdentification.standard"]?.message == "must not be null")
        #expect(byPath["\(h).documentIdentification.typeVersion"]?.message == "must not be null")
        #expect(byPath["\(h).documentIdentification.instanceIdentifier"]?.message == "'not-a-uuid' is not a UUID.")
        #expect(byPath["\(h).businessScope.scope[0].instanceIdentifier"]?.message == "'nope' is not a UUID.")
        #expect(byPath["\(h).businessScope.scope[0].scopeInformation[0].expectedResponseDateTime"]?.message == "must be a future date")
        #expect(byPath["\(h).businessScope.scope[0].scopeInformation[0].expectedResponseDateTime"]?.rejectedValue == .string("2019-03-25T11:00:00+01:00"))
        #expect(byPath["\(h).businessScope.scope[1].type"]?.message
            == "'Weird' is not expected. Allowed values are: [JournalpostId, ConversationId, ParentId, SenderRef, ReceiverRef, MessageChannel]")
        #expect(byPath["\(h).businessScope.scope[2].type"]?.message == "must not be null")
    }

    @Test func missingObjects() {
        let text = """
        { "standardBusinessDocumentHeader" : { "headerVersion" : "1.0", "documentIdentification" : { "type" : "status" }, "businessScope" : { "scope" : [] } },
          "status" : {} }
        """
        let v = SBDValidator.validate(decode(text), now: now)
        #expect(v.contains { $0.path == "standardBusinessDocumentHeader.businessScope.scope" && $0.message == "size must be between 1 and 2147483647" })
        var sbd = decode(text)
        sbd.standardBusinessDocumentHeader.documentIdentification = nil
        sbd.standardBusinessDocumentHeader.businessScope = nil
        let paths = SBDValidator.validate(sbd, now: now).map(\.path)
        #expect(paths == ["standardBusinessDocumentHeader.documentIdentification", "standardBusinessDocumentHeader.businessScope"])
        sbd.standardBusinessDocumentHeader.documentIdentification = DocumentIdentification(standard: "s", typeVersion: "1", type: "strange")
        let type = SBDValidator.validate(sbd, now: now).first { $0.code == "MessageType" }
        #expect(type?.message == "Must be a NextMove message type")
        #expect(type?.constraintViolation.objectName == "standardBusinessDocumentHeader.documentIdentification.type")
    }

    @Test func springMessageCodes() {
        let v = ConstraintViolation(code: "NotNull", message: "must not be null",
                                    path: "standardBusinessDocumentHeader.sender[0].identifier.value",
                                    rejectedValue: nil, fieldType: "java.lang.String")
        let e = v.fieldError(objectName: "standardBusinessDocument")
        #expect(e.codes == [
            "NotNull.standardBusinessDocument.standardBusinessDocumentHeader.sender[0].identifier.value",
            "NotNull.standardBusinessDocument.standardBusinessDocumentHeader.sender.identifier.value",
            "NotNull.standardBusinessDocumentHeader.sender[0].identifier.value",
            "NotNull.standardBusinessDocumentHeader.sender.identifier.value",
            "NotNull.value",
            "NotNull.java.lang.String",
            "NotNull",
        ])
        #expect(e.objectName == "standardBusinessDocument" && e.code == "NotNull" && e.rejectedValue == nil)
        let error = NextMoveError.methodArgumentNotValid(objectName: "standardBusinessDocument", violations: [e])
        #expect(error.message == "Validation failed for object='standardBusinessDocument'. Error count: 1")
    }

    @Test func createAndSendRules() throws {
        var sbd = decode(Fixtures.cucumberDpoRequest)
        try NextMoveRules.checkDocumentTypeFits(sbd)
        sbd.documentType = "urn:no:difi:arkivmelding:xsd::digital"
        #expect(throws: NextMoveError.messageTypeDoesNotFitDocumentType(type: "arkivmelding", documentType: "urn:no:difi:arkivmelding:xsd::digital")) {
            try NextMoveRules.checkDocumentTypeFits(sbd)
        }
        #expect(throws: NextMoveError.missingFile) { try NextMoveRules.checkHasFiles(.arkivmelding, filenames: []) }
        try NextMoveRules.checkHasFiles(.avtalt, filenames: [])
        try NextMoveRules.checkHasFiles(.status, filenames: [])
        try NextMoveRules.checkHasFiles(.einnsynKvittering, filenames: [])

        let late = OffsetDateTime(parsing: "2019-05-10T00:31:53+01:00")!.date
        #expect(throws: NextMoveError.timeToLive(expectedResponseDateTime: sbd.expectedResponseDateTime!)) {
            try NextMoveRules.checkTimeToLive(sbd, now: late)
        }
        try NextMoveRules.checkTimeToLive(sbd, now: now)

        let summary = ArkivmeldingSummary(referanseDokumentfiler: ["a.pdf", "b.pdf"])
        #expect(throws: NextMoveError.missingArkivmelding) { try NextMoveRules.checkArkivmelding(filenames: ["a.pdf"], summary: nil) }
        #expect(throws: NextMoveError.missingArkivmeldingFile(["b.pdf"])) {
            try NextMoveRules.checkArkivmelding(filenames: ["arkivmelding.xml", "a.pdf"], summary: summary)
        }
        try NextMoveRules.checkArkivmelding(filenames: ["arkivmelding.xml", "a.pdf", "b.pdf"], summary: summary)

        let digital = DigitalMessage(metadataFiler: ["a.pdf": "a.xml", "b.pdf": "b.xml"])
        #expect(throws: NextMoveError.fileNotFound(["a.xml", "b.pdf", "b.xml"])) {
            try NextMoveRules.checkDigitalMetadataFiles(digital, filenames: ["a.pdf"])
        }

        #expect(throws: NextMoveError.missingPrimaryDocument) {
            try NextMoveRules.checkPrimaryDocument(sbd, service: .DPI, filenames: ["x.pdf"])
        }
        try NextMoveRules.checkPrimaryDocument(sbd, service: .DPO, filenames: ["x.pdf"])
        try NextMoveRules.checkPrimaryDocument(sbd, service: .DPI, filenames: ["arkivmelding.xml"])
    }

    @Test func printAddresses() throws {
        let full = PostAddress(navn: "n", adresselinje1: "a", postnummer: "0195", poststed: "Oslo", land: "Norge")
        try NextMoveRules.checkPrintAddresses(PrintMessage(mottaker: full, retur: MailReturn(mottaker: full)))
        #expect(throws: NextMoveError.missingAddressInformation("mottaker")) {
            try NextMoveRules.checkPrintAddresses(PrintMessage())
        }
        var noPost = full
        noPost.postnummer = ""
        #expect(throws: NextMoveError.missingAddressInformation("mottaker.postnummer/poststed/adresselinje1")) {
            try NextMoveRules.checkPrintAddresses(PrintMessage(mottaker: noPost))
        }
        var foreign = noPost
        foreign.land = "Sverige"
        #expect(throws: NextMoveError.missingAddressInformation("retur")) {
            try NextMoveRules.checkPrintAddresses(PrintMessage(mottaker: foreign))
        }
        #expect(throws: NextMoveError.missingAddressInformation("retur.postnummer/poststed/adresselinje1")) {
            try NextMoveRules.checkPrintAddresses(PrintMessage(mottaker: full, retur: MailReturn(mottaker: PostAddress(navn: "x"))))
        }
    }
}
