import Foundation
import Testing
@testable import Model

@Suite struct WebhookTests {
    @Test func filterGrammar() throws {
        let f = try WebhookFilter(parsing: "status=FEIL,LEVETID_UTLOPT&direction=INCOMING&serviceIdentifier=DPO,DPI")
        #expect(f.parts.count == 3)
        #expect(f.matches(status: .FEIL, serviceIdentifier: .DPO, direction: .INCOMING))
        #expect(f.matches(status: .LEVETID_UTLOPT, serviceIdentifier: .DPI, direction: .INCOMING))
        #expect(!f.matches(status: .LEVERT, serviceIdentifier: .DPO, direction: .INCOMING))
        #expect(!f.matches(status: .FEIL, serviceIdentifier: .DPV, direction: .INCOMING))
        #expect(!f.matches(status: .FEIL, serviceIdentifier: .DPO, direction: .OUTGOING))
        let lower = try WebhookFilter(parsing: "status=feil&direction=incoming")
        #expect(lower.matches(status: .FEIL, serviceIdentifier: .DPO, direction: .INCOMING))
        #expect(try WebhookFilter(parsing: nil).matches(status: .OPPRETTET, serviceIdentifier: .DPO, direction: .OUTGOING))
        #expect(!WebhookFilter.isValid(""))
        // Java's split drops trailing empty parts.
        #expect(WebhookFilter.isValid("status=FEIL&"))
        #expect(try WebhookFilter(parsing: "&").parts.isEmpty)
        #expect(try WebhookFilter(parsing: "status=FEIL,").parts.first?.values == ["FEIL"])
        #expect(!(try WebhookFilter(parsing: "status= FEIL").matches(status: .FEIL, serviceIdentifier: .DPO, direction: .INCOMING)))
        #expect(!WebhookFilter.isValid("Status=FEIL"))
        #expect(try WebhookFilter(parsing: "status==FEIL").parts.first?.values == ["=FEIL"])
        #expect(WebhookFilter.isValid("status=INNKOMMENDE_MOTTAT&direction=INCOMING"))
    }

    @Test(arguments: ["status", "status=", "=FEIL", "status!=FEIL", "unknown=x", "&status=FEIL",
                      "status>FEIL", "sta tus=FEIL", "status=FEIL&&direction=INCOMING", "", "statüs=FEIL"])
    func invalidFilters(text: String) {
        #expect(!WebhookFilter.isValid(text))
        #expect(throws: WebhookFilterError.self) { try WebhookFilter(parsing: text) }
    }

    @Test func subscriptionValidation() {
        let ok = WebhookSubscription(name: "Incoming messages", pushEndpoint: "http://my.pushendpoint.no/messages/incoming",
                                     resource: "messages", event: "status", filter: "status=INNKOMMENDE_MOTTATT&direction=INCOMING")
        #expect(ok.validate(for: .create).isEmpty)
        #expect(WebhookSubscription().validate(for: .update).isEmpty)

        let missing = WebhookSubscription(id: 3).validate(for: .create)
        #expect(missing.map(\.path) == ["id", "name", "pushEndpoint", "resource", "event"])
        #expect(missing[0].message == "must be null")
        #expect(missing[1].message == "must not be null")

        let bad = WebhookSubscription(name: "n", pushEndpoint: "not a url", resource: "x", event: "nonexistent", filter: "foo")
        let v = bad.validate(for: .update)
        #expect(v.map(\.code) == ["URL", "OneOf", "OneOf", "WebhookFilter"])
        #expect(v[0].message == "must be a valid URL")
        #expect(v[1].message == "'x' is not expected. Allowed values are: [all, messages]")
        #expect(v[2].message == "'nonexistent' is not expected. Allowed values are: [all, status]")
        #expect(v[3].message == "Must be a valid filter definition.")
        let error = NextMoveError.constraintViolation([v[2].constraintViolation])
        #expect(error.message == "event: 'nonexistent' is not expected. Allowed values are: [all, status]")
        #expect(error.violations?.first?.codes == ["OneOf"])
    }

    @Test func mergeAndAccept() {
        let s = WebhookSubscription(id: 1, name: "a", pushEndpoint: "http://x", resource: "all", event: "all", filter: nil)
        let m = s.merged(with: WebhookSubscription(name: "b", filter: "direction=OUTGOING"))
        #expect(m.id == 1 && m.name == "b" && m.pushEndpoint == "http://x" && m.filter == "direction=OUTGOING")
        #expect(m.accepts(status: .SENDT, serviceIdentifier: .DPO, direction: .OUTGOING))
        #expect(!m.accepts(status: .SENDT, serviceIdentifier: .DPO, direction: .INCOMING))
    }

    @Test func eventJSON() {
        let ts = OffsetDateTime(parsing: "2019-03-25T12:38:23+01:00")!.date
        #expect(String(decoding: WebhookEvent.ping(createdTs: ts).encodedJSON(), as: UTF8.self) == """
        {
          "createdTs" : "2019-03-25T12:38:23+01:00",
          "event" : "ping"
        }
        """)
        let status = WebhookEvent.status(.init(
            createdTs: ts, messageId: "bdb5d59e-6819-483e-a2a5-aafa2cfb09e2", conversationId: "9a62cb73-b122-4ad4-aa8e-b73130aff58b",
            direction: .INCOMING, serviceIdentifier: .DPO, status: .LEVETID_UTLOPT, description: ReceiptStatus.expiredDescription))
        #expect(String(decoding: status.encodedJSON(), as: UTF8.self) == """
        {
          "createdTs" : "2019-03-25T12:38:23+01:00",
          "resource" : "messages",
          "event" : "status",
          "messageId" : "bdb5d59e-6819-483e-a2a5-aafa2cfb09e2",
          "conversationId" : "9a62cb73-b122-4ad4-aa8e-b73130aff58b",
          "direction" : "INCOMING",
          "serviceIdentifier" : "DPO",
          "status" : "LEVETID_UTLOPT",
          "description" : "Levetiden for meldingen er utgått. Må sendes på nytt"
        }
        """)
    }
}
