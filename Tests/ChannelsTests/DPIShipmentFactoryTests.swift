import Channels
import Foundation
import Model
import Packaging
import Testing
import TestTools

@Suite("DPI: a NextMove digital or print message as a DPI shipment")
struct DPIShipmentFactoryTests {
    static let certificate = Data([0x30, 0x03, 0x02, 0x01, 0x01])
    static let recipient = DPIRecipient(providerOrganisationNumber: "987464291", postkasseadresse: "ola#1", certificateDER: certificate,
                                        email: "ola@example.no", mobile: nil, language: "EN")

    func file(_ name: String, title: String? = nil, mime: String = "application/pdf") -> DPIFile {
        DPIFile(filename: name, mimeType: mime, title: title, source: .data(Data(name.utf8)))
    }

    @Test("digital: avsender on behalf of another organisation, mailbox, e-mail notice only with an address, language from the message")
    func digital() throws {
        let sbd = try DPIMessages.digital(metadataFiler: ["vedtak.pdf": "lenke.xml"], avsenderId: "avd-1",
                                          sender: "0192:910077473:987654321")
        let shipment = try DPIShipmentFactory(defaultLanguage: "NO").shipment(
            for: sbd, files: [file("vedlegg.pdf", title: "Vedlegg"), file("vedtak.pdf", title: "Vedtak"), file("lenke.xml", mime: "application/xml")],
            recipient: Self.recipient, now: Date(timeIntervalSince1970: 1_780_000_000))
        #expect(shipment.consumerOrganisation == "987654321")
        let melding = shipment.forretningsmelding
        #expect(melding.senderOrganisationNumber == "910077473")
        #expect(melding.receiverOrganisationNumber == "987464291")
        guard case .digital(let digital) = melding.body else { Issue.record("not digital"); return }
        #expect(digital.avsender.virksomhetsidentifikator.value == "0192:987654321")
        #expect(digital.avsender.avsenderidentifikator == "avd-1")
        #expect(digital.mottaker.postkasseadresse == "ola#1")
        #expect(digital.spraak == "NO")
        #expect(digital.varsler.epostvarsel?.address == "ola@example.no")
        #expect(digital.varsler.smsvarsel == nil)   // no mobile number in the record
        #expect(shipment.documents.map(\.filename) == ["vedtak.pdf", "vedlegg.pdf", "lenke.xml"])
        #expect(shipment.manifest.primaryDocument.data?.href == "lenke.xml")
        #expect(shipment.manifest.attachments.map(\.title) == ["Vedlegg"])
        #expect(shipment.manifest.language == "NO")
        let json = String(decoding: try melding.json(fingerprint: Data([1, 2, 3]), maskinportentoken: "t"), as: UTF8.self)
        #expect(json.contains(#""dokumentpakkefingeravtrykk":{"digestMethod":"http://www.w3.org/2001/04/xmlenc#sha256","digestValue":"AQID"}"#))
        #expect(json.contains(#""identifier":"urn:fdc:digdir.no:2020:profile:egovernment:innbyggerpost:digital:ver1.0""#))
        #expect(json.contains(#""standard":"urn:fdc:digdir.no:2020:innbyggerpost:xsd::innbyggerpost##urn:fdc:digdir.no:2020:innbyggerpost:schema:digital::1.0""#))
    }

    @Test("digital without a title, a security level or its hoveddokument cannot be sent, and says why")
    func digitalRules() throws {
        var sbd = try DPIMessages.digital()
        if case .digital(var message) = sbd.businessMessage { message.tittel = nil; sbd.businessMessage = .digital(message) }
        #expect { try DPIShipmentFactory().shipment(for: sbd, files: [file("vedtak.pdf")], recipient: Self.recipient, now: Date()) } throws: {
            "\($0)".contains("digital.tittel")
        }
        #expect { try DPIShipmentFactory().shipment(for: try DPIMessages.digital(), files: [file("annet.pdf")], recipient: Self.recipient, now: Date()) } throws: {
            "\($0)".contains("hoveddokument")
        }
        var noMailbox = Self.recipient
        noMailbox.postkasseadresse = nil
        #expect { try DPIShipmentFactory().shipment(for: try DPIMessages.digital(), files: [file("vedtak.pdf")], recipient: noMailbox, now: Date()) } throws: {
            ($0 as? DPIError) == .incompleteRecipient("the receiver has no digital mailbox address (postkasseAdresse); send the letter as print")
        }
    }

    @Test("print: colour, priority, return handling; a foreign address moves the postal code into the address lines")
    func print() throws {
        let shipment = try DPIShipmentFactory().shipment(
            for: try DPIMessages.print(land: "Sverige"), files: [file("brev.pdf")],
            recipient: DPIRecipient(printProvider: PrintProvider(organisationNumber: "984661185", certificateDER: Self.certificate)),
            now: Date())
        guard case .utskrift(let utskrift) = shipment.forretningsmelding.body else { Issue.record("not utskrift"); return }
        #expect(utskrift.utskriftstype == "FARGE")
        #expect(utskrift.posttype == "A")
        #expect(utskrift.retur.returposthaandtering == "MAKULERING_MED_MELDING")
        #expect(utskrift.mottaker.adresselinje2 == "3400 FJELLET")
        #expect(utskrift.mottaker.postnummer == nil)
        #expect(utskrift.mottaker.land == "Sverige")
        #expect(utskrift.retur.mottaker.postnummer == "0150")
        #expect(shipment.manifest.postkasseadresse == nil)
        #expect(shipment.manifest.primaryDocument.title == "Missing title")
        #expect(shipment.forretningsmelding.receiverOrganisationNumber == "984661185")
    }

    @Test("the service registry's DPI record is read with its extras, and the print provider from PEM or bare base64")
    func recordAndPrintProvider() throws {
        let json = """
        {"infoRecord":{"identifier":"01017012345","entityType":{"name":"citizen"}},
         "serviceRecords":[{"pemCertificate":"MIIB","process":"urn:no:difi:profile:digitalpost:vedtak:ver1.0",
           "documentTypes":["urn:no:difi:digitalpost:xsd:digital::digital"],"service":{"identifier":"DPI","endpointUrl":"https://c2"},
           "orgnrPostkasse":"987464291","postkasseAdresse":"ola.nordmann#9YDT","epostAdresse":"ola@example.no","mobilnummer":"99999999",
           "kanVarsles":true,"fysiskPost":false,"spraak":"NO",
           "postAddress":{"name":"Ola Nordmann","street":"Fjellveien 1;Oppgang B","postalCode":"3400","postalArea":"FJELLET","country":"NO"},
           "returnAddress":{"name":"Kommunen","street":"Rådhuset","postalCode":"0150","postalArea":"OSLO","country":"NO"}}]}
        """
        let entry = try JSONDecoder().decode(ServiceRegistryEntry.self, from: Data(json.utf8))
        let record = try #require(entry.serviceRecords.first)
        #expect(record.orgnrPostkasse == "987464291")
        #expect(record.postkasseAdresse == "ola.nordmann#9YDT")
        #expect(record.kanVarsles == true && record.fysiskPost == false)
        #expect(record.postAddress?.street == "Fjellveien 1;Oppgang B")
        #expect(record.returnAddress?.postalArea == "OSLO")
        let der = Data([0x30, 0x82, 0x01, 0x0A])
        let pemText = "-----BEGIN CERTIFICATE-----\n\(der.base64EncodedString())\n-----END CERTIFICATE-----\n"
        for text in [pemText, der.base64EncodedString()] {
            let body = try JSONSerialization.data(withJSONObject: ["postkasseleverandoerAdresse": "984661185", "x509Sertifikat": text])
            #expect(try PrintProvider(json: body).certificateDER == der)
        }
        #expect(throws: DPIError.self) { try PrintProvider(json: Data(#"{"postkasseleverandoerAdresse":"984661185"}"#.utf8)) }
    }

    @Test("channels: mpcId dots become underscores, sends go round robin")
    func channels() {
        let channels = DPIChannels(["no.difi.move.integrasjonspunkt-0", "no.difi.move.integrasjonspunkt-1"])
        #expect(channels.names == ["no_difi_move_integrasjonspunkt-0", "no_difi_move_integrasjonspunkt-1"])
        #expect([channels.next(), channels.next(), channels.next()] == [
            "no_difi_move_integrasjonspunkt-0", "no_difi_move_integrasjonspunkt-1", "no_difi_move_integrasjonspunkt-0"])
    }
}
