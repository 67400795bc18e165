import Channels
import Foundation
import Model
import Testing

/// The correspondence DPV posts, field by field, against what the upstream sends for the same message (its
/// `nextmove_send_digital_dpv.feature` and `CorrespondenceFactory`), and the contract's form field names.
@Suite("DPV: the correspondence built for arkivmelding and digital_dpv")
struct CorrespondenceRequestTests {
    /// 2019-03-25 12:38:23 in Oslo (+01:00).
    let now = Date(timeIntervalSince1970: 1_553_513_903)
    let builder = CorrespondenceRequestBuilder(settings: DPVSettings())

    func sbd(type: String, standard: String, process: String, receiver: String, messageId: String,
             body: String, sender: String = "0192:910077473") throws -> StandardBusinessDocument {
        try StandardBusinessDocument.decode(from: Data("""
        {
          "standardBusinessDocumentHeader": {
            "headerVersion": "1.0",
            "sender": [ { "identifier": { "authority": "iso6523-actorid-upis", "value": "\(sender)" } } ],
            "receiver": [ { "identifier": { "authority": "iso6523-actorid-upis", "value": "\(receiver)" } } ],
            "documentIdentification": { "standard": "\(standard)", "typeVersion": "2.0",
                                        "instanceIdentifier": "\(messageId)", "type": "\(type)" },
            "businessScope": { "scope": [ { "type": "ConversationId", "identifier": "\(process)",
                                            "instanceIdentifier": "97efbd4c-413d-4e2c-bbc5-257ef4a61212" } ] }
          },
          "\(type)": \(body)
        }
        """.utf8))
    }

    @Test("digital_dpv to a person under the info process: every field as upstream sends it")
    func digitalDpvToAPerson() throws {
        let message = try sbd(type: "digital_dpv", standard: "urn:no:difi:digitalpost:xsd:digital::digital_dpv",
                              process: "urn:no:difi:profile:digitalpost:info:ver1.0", receiver: "17912099997",
                              messageId: "ff88849c-e281-4809-8555-7cd54952b922",
                              body: #"{ "tittel": "foo", "sammendrag": "bar", "innhold": "foobar" }"#)
        let request = try builder.request(for: message, attachments: [.init(filename: "test.txt", title: "Test")],
                                          arkivmelding: nil, senderName: "TEST - C4",
                                          resource: "eformidling-dpv-administrasjon", now: now)
        let text = "$correspondenceRecipientName$: Du har mottatt en melding fra TEST - C4."
        let expected: [String: String] = [
            "correspondence.content.messageTitle": "foo",
            "correspondence.notification.notificationChannel": "EmailAndSms",
            "correspondence.notification.reminderSmsBody": text,
            "correspondence.sendersReference": "ff88849c-e281-4809-8555-7cd54952b922",
            "correspondence.notification.reminderEmailContentType": "Plain",
            "correspondence.notification.smsBody": text,
            "correspondence.notification.reminderEmailBody": text,
            "correspondence.sender": "0192:910077473",
            "correspondence.requestedPublishTime": "2019-03-25T12:38:23+01:00",
            "correspondence.notification.requestedSendTime": "2019-03-25T12:43:23+01:00",
            "correspondence.isConfirmationNeeded": "false",
            "correspondence.content.language": "nb",
            "correspondence.notification.emailContentType": "Plain",
            "correspondence.messageSender": "TEST - C4",
            "correspondence.notification.emailBody": text,
            "correspondence.notification.reminderNotificationChannel": "EmailAndSms",
            "correspondence.dueDateTime": "2019-04-01T12:38:23+01:00",
            "correspondence.content.attachments[0].sendersReference": "AttachmentReference_as123452",
            "correspondence.notification.sendReminder": "true",
            "recipients[0]": "urn:altinn:person:identifier-no:17912099997",
            "correspondence.content.attachments[0].isEncrypted": "false",
            "correspondence.isConfidential": "false",
            "correspondence.content.messageSummary": "bar",
            "correspondence.content.attachments[0].fileName": "test.txt",
            "correspondence.content.messageBody": "foobar",
            "correspondence.content.attachments[0].displayName": "Test",
            "correspondence.notification.notificationTemplate": "CustomMessage",
            "correspondence.notification.emailSubject": "Melding mottatt i Altinn",
            "correspondence.notification.reminderEmailSubject": "Melding mottatt i Altinn",
            "correspondence.resourceId": "eformidling-dpv-administrasjon",
            "correspondence.propertyList.senderOrgNumber": "910077473",
            "correspondence.ignoreReservation": "true",
            "idempotentKey": "ff88849c-e281-4809-8555-7cd54952b922",
        ]
        let fields = request.formFields()
        #expect(Dictionary(fields, uniquingKeysWith: { first, _ in first }) == expected)
        #expect(fields.count == expected.count, "no field twice")
    }

    @Test("arkivmelding to an organisation: titles from the journalpost, the referenced files only, the due date a week on")
    func arkivmeldingToAnOrganisation() throws {
        let message = try sbd(type: "arkivmelding", standard: "urn:no:difi:arkivmelding:xsd::arkivmelding",
                              process: "urn:no:difi:profile:arkivmelding:administrasjon:ver1.0", receiver: "0192:910075946",
                              messageId: "abc8849c-e281-4809-8555-7cd54952b926",
                              body: #"{ "sikkerhetsnivaa": 3, "hoveddokument": "test.txt" }"#)
        let summary = ArkivmeldingSummary(offentligTittel: "Nye lysrør", journalpostTittel: "Nye lysrør (intern)",
                                          referanseDokumentfiler: ["test.txt"])
        let request = try builder.request(for: message, attachments: [.init(filename: "test.txt", title: "Test")],
                                          arkivmelding: summary, senderName: "TEST - C4",
                                          resource: "eformidling-dpv-administrasjon", now: now)
        let fields = Dictionary(request.formFields(), uniquingKeysWith: { first, _ in first })
        #expect(fields["correspondence.content.messageTitle"] == "Nye lysrør")
        #expect(fields["correspondence.content.messageSummary"] == "Nye lysrør")
        #expect(fields["correspondence.content.messageBody"] == "Nye lysrør (intern)")
        #expect(fields["recipients[0]"] == "urn:altinn:organization:identifier-no:910075946")
        #expect(fields["correspondence.ignoreReservation"] == "false", "only digital_dpv under the info process")
        #expect(fields["correspondence.dueDateTime"] == "2019-04-01T12:38:23+01:00",
                "7 days (daysToReply), written with the offset of the send as upstream, across the change to summer time")
        #expect(fields["idempotentKey"] == "abc8849c-e281-4809-8555-7cd54952b926")
        let noPublicTitle = ArkivmeldingSummary(journalpostTittel: "Bare tittel", referanseDokumentfiler: [])
        let second = try builder.request(for: message, attachments: [], arkivmelding: noPublicTitle, senderName: "S",
                                         resource: "r", now: now)
        #expect(second.correspondence.content.messageTitle == "Bare tittel")
        let noJournalpostTitle = ArkivmeldingSummary(offentligTittel: "Offentlig", referanseDokumentfiler: [])
        let third = try builder.request(for: message, attachments: [], arkivmelding: noJournalpostTitle, senderName: "S",
                                        resource: "r", now: now)
        #expect(third.correspondence.content.messageBody == "Offentlig", "no empty body for Altinn to refuse")
        #expect(second.formFields().contains { $0.0.contains("attachments") } == false)
    }

    @Test("The message's own dpv settings win: notification text, transport, no reminder, no due date")
    func messageSettings() throws {
        let message = try sbd(type: "digital_dpv", standard: "urn:no:difi:digitalpost:xsd:digital::digital_dpv",
                              process: "urn:no:difi:profile:digitalpost:vedtak:ver1.0", receiver: "17912099997",
                              messageId: "0d3f1c62-7b8a-4e1c-9f0e-2d4b1f3c5a71",
                              body: #"{ "tittel": "t", "sammendrag": "s", "innhold": "  ", "dpv": { "varselType": "VarselDPVUtenRevarsel", "varselTransportType": "SMS", "varselTekst": "Hei fra $reporterName$", "dagerTilSvarfrist": 0 } }"#)
        let request = try builder.request(for: message, attachments: [], arkivmelding: nil, senderName: "Kommunen",
                                          resource: "eformidling-dpv-administrasjon", now: now)
        let fields = Dictionary(request.formFields(), uniquingKeysWith: { first, _ in first })
        #expect(fields["correspondence.notification.smsBody"] == "Hei fra Kommunen")
        #expect(fields["correspondence.notification.notificationChannel"] == "Sms")
        #expect(fields["correspondence.notification.sendReminder"] == "false")
        #expect(fields["correspondence.notification.reminderSmsBody"] == nil)
        #expect(fields["correspondence.notification.reminderNotificationChannel"] == nil)
        #expect(fields["correspondence.dueDateTime"] == nil, "dagerTilSvarfrist 0: no due date")
        #expect(fields["correspondence.content.messageBody"] == "Ingen innhold", "blank innhold")
        #expect(fields["correspondence.ignoreReservation"] == "false", "vedtak, not info")
    }

    @Test("The sensitive resource makes the correspondence confidential, with the sensitive notification text")
    func confidential() throws {
        let message = try sbd(type: "digital_dpv", standard: "urn:no:difi:digitalpost:xsd:digital::digital_dpv",
                              process: "urn:no:difi:profile:digitalpost:info:ver1.0", receiver: "910075946",
                              messageId: "1d3f1c62-7b8a-4e1c-9f0e-2d4b1f3c5a71", body: #"{ "tittel": "t", "sammendrag": "s" }"#)
        let settings = DPVSettings(notifyEmail: true, notifySms: false, daysToReply: 3, enableDueDate: false)
        let request = try CorrespondenceRequestBuilder(settings: settings).request(
            for: message, attachments: [], arkivmelding: nil, senderName: "Etaten", resource: "eformidling-dpv-taushetsbelagt", now: now)
        let fields = Dictionary(request.formFields(), uniquingKeysWith: { first, _ in first })
        #expect(fields["correspondence.isConfidential"] == "true")
        #expect(fields["correspondence.notification.emailBody"]?.hasPrefix("$correspondenceRecipientName$, har mottatt en taushetsbelagt melding fra Etaten. For å få tilgang") == true)
        #expect(fields["correspondence.notification.notificationChannel"] == "Email")
        #expect(fields["correspondence.dueDateTime"] == nil, "enableDueDate=false")
    }

    @Test("What DPV cannot carry is refused with the reason", arguments: [
        ("", "arkivmelding", "empty Altinn resource id"),
        ("r", "avtalt", "not avtalt"),
    ])
    func refused(resource: String, type: String, text: String) throws {
        let message = try sbd(type: type, standard: "urn:no:difi:\(type):xsd::\(type)", process: "urn:p",
                              receiver: "910075946", messageId: "2d3f1c62-7b8a-4e1c-9f0e-2d4b1f3c5a71", body: "{}")
        do {
            _ = try builder.request(for: message, attachments: [], arkivmelding: ArkivmeldingSummary(),
                                    senderName: "S", resource: resource, now: now)
            Issue.record("accepted")
        } catch {
            #expect(error.description.contains(text), "\(error)")
            #expect(!error.isTransient)
        }
    }

    @Test("The overview's statuses: published → LEVERT, read → LEST with Altinn's times; purged → ANNET, final")
    func overviewEvents() throws {
        let json = """
        { "correspondenceId": "0198408f-979c-75e0-b23e-aef6e907015f", "created": "2025-06-01T10:00:00.1234567+00:00",
          "status": "Read", "statusChanged": "2025-06-01T12:00:00+00:00", "sendersReference": "m",
          "recipient": "urn:altinn:organization:identifier-no:910075946", "resourceId": "r",
          "published": "2025-06-01T10:00:05.5+00:00", "read": "2025-06-01T12:00:00Z" }
        """
        let overview = try CorrespondenceOverview.decode(Data(json.utf8))
        #expect(overview.events.map(\.status) == [.LEVERT, .LEST])
        #expect(overview.events.first?.at == Date(timeIntervalSince1970: 1_748_772_005.5))
        #expect(overview.events.last?.at == Date(timeIntervalSince1970: 1_748_779_200))
        #expect(overview.events.allSatisfy { !$0.isFinal })
        var purged = overview
        purged.status = "PurgedByRecipient"
        #expect(purged.events.map(\.status) == [.LEVERT, .LEST, .ANNET])
        #expect(purged.events.last?.isFinal == true)
        let unpublished = try CorrespondenceOverview.decode(Data(#"{"correspondenceId":"x","status":"Initialized","created":"2025-06-01T10:00:00Z"}"#.utf8))
        #expect(unpublished.events.isEmpty)
    }
}
