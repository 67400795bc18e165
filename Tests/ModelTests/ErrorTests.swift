import Foundation
import Testing
@testable import Model

@Suite struct ErrorTests {
    @Test func catalogueTexts() {
        #expect(NextMoveError.messageAlreadyExists(messageId: "abc").message == "Message with messageId = abc already exists")
        #expect(NextMoveError.unknownMessageType("strange").message
            == "Unknown NextMove document type strange. Expected one of the following values: status, feil, arkivmelding, avtalt, digital, digital_dpv, print, dialogmelding, innsynskrav, publisering")
        let r = NextMoveError.receiverDoesNotAcceptProcess("urn:p", description: "SR says no")
        #expect(r.message == "Receiver do not accept the document process urn:p" && r.description == "SR says no")
        #expect(NextMoveError.serviceNotEnabled(.DPI).message == "Service DPI is not enabled")
        #expect(NextMoveError.serviceNotEnabled(.UNKNOWN).message == "Service UNKNOWN is not enabled")
        #expect(NextMoveError.messageTypeDoesNotFitDocumentType(type: "digital", documentType: "urn:x::arkivmelding").message
            == "Message type digital does not match the document type urn:x::arkivmelding")
        #expect(NextMoveError.messageChannelInvalid(valid: "a", found: "b").message == "Valid channels: a, but found b in SBDH")
        #expect(NextMoveError.forsendelseTypeNotFound("x", validTypes: "[a, b]").message == "Found forsendelseType x, but valid types are [a, b]")
        #expect(NextMoveError.missingSvarUtCredentials(orgnr: "910075918").message == "SvarUt credentials not configured for orgnr 910075918")
        #expect(NextMoveError.missingAddressInformation("mottaker.postnummer/poststed/adresselinje1").message
            == "--no.difi.meldingsutveksling.exceptions.MissingAddressInformationException-- [mottaker.postnummer/poststed/adresselinje1]")
        #expect(NextMoveError.senderNotInHerIds.message
            == "--no.difi.meldingsutveksling.exceptions.SenderException-- [Sender have to be one of the her-ids listed in the difi.move.dph.her-ids property!]")
        #expect(NextMoveError.senderNotNhn.message == "--no.difi.meldingsutveksling.exceptions.SenderException-- [Sender have to be a nhn-actorid for DPH messages!]")
        #expect(NextMoveError.receiverNotNhn.message == "--no.difi.meldingsutveksling.exceptions.ReceiverException-- [Receiver have to be a nhn-actorid for DPH messages!]")
        #expect(NextMoveError.invalidCertificate("expired").message == "expired")
        #expect(NextMoveError.duplicateFilename(["x.pdf"]).message == "Filename already exists in message: x.pdf.")
        #expect(NextMoveError.multiplePrimaryDocumentsNotAllowed.message == "Messages can only contain one primary document")
        #expect(NextMoveError.missingFileTitle("DPV").message == "Title is required for the following capabilities: DPV")
        #expect(NextMoveError.invalidContentType("text/plain").message
            == "--no.difi.meldingsutveksling.exceptions.InvalidContentTypeException-- [Invalid content type: text/plain]")
        #expect(NextMoveError.missingFile.message == "There must always be at least one attachment")
        #expect(NextMoveError.missingArkivmelding.message == "DPO message type requires arkivmelding.xml attachment")
        #expect(NextMoveError.missingArkivmeldingFile(["a.pdf", "b.pdf"]).message
            == "File(s) defined in arkivmelding, but not found in message: a.pdf,b.pdf")
        let fnf = NextMoveError.fileNotFound(["a.txt", "b.txt"])
        #expect(fnf.message == "File(s) named a.txt, b.txt was not found" && fnf.httpStatus == 404)
        #expect(NextMoveError.missingPrimaryDocument.message
            == "Missing a primary document. Please specify the hoveddokument property in the business message and verify that is equal to one of the filenames.")
        #expect(NextMoveError.messageNotFound(messageId: "m").message == "Message with messageId = m was not found")
        #expect(NextMoveError.messageNotFound(messageId: "m").httpStatus == 404)
        #expect(NextMoveError.messageNotLocked(messageId: "m").message == "Message with messageId = m was not locked")
        #expect(NextMoveError.conversationNotFound(id: 49).message == "Conversation with id = 49 was not found")
        #expect(NextMoveError.conversationNotFound(id: 1234).message == "Conversation with id = 1,234 was not found")
        #expect(NextMoveError.noContent.httpStatus == 204 && NextMoveError.noContent.message == "No content")
        #expect(NextMoveError.asicRead(messageId: "m").message == "--no.difi.meldingsutveksling.exceptions.AsicReadException-- [m]")
        #expect(NextMoveError.asicRead(messageId: "m").httpStatus == 500)
        #expect(NextMoveError.identifierNotFound("Service record not found for parameters: X").httpStatus == 404)
        #expect(NextMoveError.subscriptionNotFound(id: 84).message == "Subscription with id = 84 was not found")
        #expect(NextMoveError.subscriptionAlreadyExists.message == "Subscription with same name and push endpoint already exists.")
        #expect(NextMoveError.webhookPingFailed("Connection refused").message == "Ping failed with: Connection refused.")
        #expect(NextMoveError.messagePersist.message == "Could not persist file named '{0}'")
        #expect(NextMoveError.missingConversationIdScope.message == "Missing conversation ID scope!")
    }

    @Test func timeToLiveKeepsTheStoredOffset() {
        let t = OffsetDateTime(parsing: "2019-05-10T00:31:52+01:00")!
        let e = NextMoveError.timeToLive(expectedResponseDateTime: t)
        #expect(e.message == "ExpectedResponseDateTime 2019-05-10T00:31:52+01:00 has been exceeded. Please resend the message")
        #expect(e.exception == "no.difi.meldingsutveksling.exceptions.TimeToLiveException")
    }

    @Test func fileSizeTexts() {
        #expect(NextMoveError.multipartFileTooLarge(filename: "x.pdf").message
            == "The attachment named 'x.pdf' is too large. The maximum size for multipart requests is 5,242,880 bytes. Please use the non-multipart API to avoid such problems.")
        let mb: Int64 = 1_048_576
        #expect(NextMoveError.maxFileSizeExceeded(totalBytes: 1100 * mb + 5, service: .DPO, limitBytes: 1024 * mb).message
            == "The combined file size for all attachments (1100MB) exceeds the maximum allowed upload size for the target service (DPO, 1024MB)")
        #expect(NextMoveError.maxFileSizeExceeded(totalBytes: 3000, service: .DPE, limitBytes: 2000).message
            == "The combined file size for all attachments (3000b) exceeds the maximum allowed upload size for the target service (DPE, 2000b)")
        #expect(MessageFormat.number(5_242_880) == "5,242,880")
        #expect(MessageFormat.number(-1000) == "-1,000")
        #expect(MessageFormat.number(999) == "999")
    }

    @Test func ourFourHundreds() {
        #expect(NextMoveError.invalidIdentifier("abc").message == "Unable to parse identifier = 'abc'")
        #expect(NextMoveError.invalidIdentifier("abc").httpStatus == 400)
        #expect(NextMoveError.invalidServiceIdentifier("DPX").message == "No enum constant no.difi.meldingsutveksling.ServiceIdentifier.DPX")
        let body = NextMoveError.unreadableBody(.unknownType("x"))
        #expect(body.httpStatus == 400 && body.message.hasPrefix("Unknown BusinessMessageType = x."))
        #expect(NextMoveError.missingRequestHeader("Content-Disposition").message == "Required header 'Content-Disposition' is not present.")
        #expect(NextMoveError.arkivmelding(.noSaksmappe).httpStatus == 400)
        #expect(NextMoveError.arkivmelding(.noSaksmappe).message == "No \"Saksmappe\" found in Arkivmelding")
    }

    @Test func errorBodyMatchesTheDocumentedOne() throws {
        let now = OffsetDateTime(parsing: "2019-05-12T22:00:00+02:00")!.date
        let error = NextMoveError.timeToLive(expectedResponseDateTime: OffsetDateTime(parsing: "2019-05-10T00:31:52+01:00")!)
        let body = ErrorBody(error, path: "/api/messages/out/ff88849c-e281-4809-8555-7cd54952b923", now: now)
        let text = String(decoding: body.encodedJSON(), as: UTF8.self)
        #expect(text == """
        {
          "timestamp" : "2019-05-12T22:00:00+02:00",
          "status" : 400,
          "error" : "Bad Request",
          "exception" : "no.difi.meldingsutveksling.exceptions.TimeToLiveException",
          "message" : "ExpectedResponseDateTime 2019-05-10T00:31:52+01:00 has been exceeded. Please resend the message",
          "path" : "/api/messages/out/ff88849c-e281-4809-8555-7cd54952b923"
        }
        """)
    }

    @Test func constraintViolationBody() throws {
        let now = OffsetDateTime(parsing: "2019-03-25T12:38:23+01:00")!.date
        let v = FieldViolation.constraint("MessageType", message: "Must be a NextMove message type",
                                          path: "standardBusinessDocumentHeader.documentIdentification.type",
                                          rejectedValue: .string("strange"))
        var error = NextMoveError.constraintViolation([v])
        error.exception = "javax.validation.ConstraintViolationException"
        let text = String(decoding: ErrorBody(error, path: "/api/messages/out", now: now).encodedJSON(), as: UTF8.self)
        #expect(text == """
        {
          "timestamp" : "2019-03-25T12:38:23+01:00",
          "status" : 400,
          "error" : "Bad Request",
          "exception" : "javax.validation.ConstraintViolationException",
          "message" : "standardBusinessDocumentHeader.documentIdentification.type: Must be a NextMove message type",
          "path" : "/api/messages/out",
          "errors" : [ {
            "codes" : [ "MessageType" ],
            "defaultMessage" : "Must be a NextMove message type",
            "objectName" : "standardBusinessDocumentHeader.documentIdentification.type",
            "field" : "standardBusinessDocumentHeader.documentIdentification.type",
            "rejectedValue" : "strange",
            "bindingFailure" : false,
            "code" : "MessageType"
          } ]
        }
        """)
    }
}
