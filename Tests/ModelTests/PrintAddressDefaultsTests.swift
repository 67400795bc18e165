import Foundation
import Testing
@testable import Model

@Suite struct PrintAddressDefaultsTests {
    func print(_ message: String, receiver: Bool = true) throws -> StandardBusinessDocument {
        let receiverJSON = receiver
            ? #""receiver" : [ { "identifier" : { "value" : "01017012345", "authority" : "iso6523-actorid-upis" } } ],"# : ""
        let text = """
        { "standardBusinessDocumentHeader" : { "headerVersion" : "1.0", \(receiverJSON)
            "documentIdentification" : { "standard" : "urn:no:difi:digitalpost:xsd:fysisk::print", "typeVersion" : "1.0", "type" : "print" },
            "businessScope" : { "scope" : [ { "type" : "ConversationId", "identifier" : "urn:no:difi:profile:digitalpost:vedtak:ver1.0" } ] } },
          "print" : \(message) }
        """
        return try StandardBusinessDocument.decode(from: Data(text.utf8))
    }

    static let home = RegistryPostAddress(name: "Ola Nordmann", street: "Fjellveien 1;Oppgang B;;3. etasje;ignored",
                                          postalCode: "3400", postalArea: "FJELLET", country: "NO")
    static let town = RegistryPostAddress(name: "Kommunen", street: "Rådhuset", postalCode: "0150", postalArea: "OSLO", country: "NO")

    @Test func aPrintToACitizenGetsTheRegistryAddressesAndPassesTheCheck() throws {
        var sbd = try print(#"{ "hoveddokument" : "brev.pdf" }"#)
        SBDDefaults.applyPrintAddresses(to: &sbd, postAddress: Self.home, returnAddress: Self.town)
        guard case .print(let message) = sbd.businessMessage else { Issue.record("not print"); return }
        #expect(message.mottaker == PostAddress(navn: "Ola Nordmann", adresselinje1: "Fjellveien 1", adresselinje2: "Oppgang B",
                                                adresselinje3: "", adresselinje4: "3. etasje", postnummer: "3400",
                                                poststed: "FJELLET", land: "NO"))
        #expect(message.retur?.returhaandtering == "DIREKTE_RETUR")
        #expect(message.retur?.mottaker?.adresselinje1 == "Rådhuset")
        try NextMoveRules.checkPrintAddresses(message)
    }

    @Test func whatTheClientGaveIsKept() throws {
        var sbd = try print("""
            { "hoveddokument" : "brev.pdf", "mottaker" : { "navn" : "Kari", "adresselinje1" : "Gata 2", "postnummer" : "" },
              "retur" : { "mottaker" : { "navn" : "Etaten" }, "returhaandtering" : "MAKULERING_MED_MELDING" } }
            """)
        SBDDefaults.applyPrintAddresses(to: &sbd, postAddress: Self.home, returnAddress: Self.town)
        guard case .print(let message) = sbd.businessMessage else { Issue.record("not print"); return }
        #expect(message.mottaker?.navn == "Kari")
        #expect(message.mottaker?.adresselinje1 == "Gata 2")
        #expect(message.mottaker?.adresselinje2 == nil)
        #expect(message.mottaker?.postnummer == "3400")
        #expect(message.retur?.mottaker?.navn == "Etaten")
        #expect(message.retur?.mottaker?.poststed == "OSLO")
        #expect(message.retur?.returhaandtering == "MAKULERING_MED_MELDING")
    }

    @Test func withoutAReceiverNothingIsFilledAndTheCheckSaysWhatIsMissing() throws {
        var sbd = try print(#"{ "hoveddokument" : "brev.pdf" }"#, receiver: false)
        SBDDefaults.applyPrintAddresses(to: &sbd, postAddress: Self.home, returnAddress: Self.town)
        guard case .print(let message) = sbd.businessMessage else { Issue.record("not print"); return }
        #expect(message.mottaker == nil)
        #expect { try NextMoveRules.checkPrintAddresses(message) } throws: { error in
            guard let error = error as? NextMoveError else { return false }
            return error.httpStatus == 400
                && error.message == "--no.difi.meldingsutveksling.exceptions.MissingAddressInformationException-- [mottaker]"
                && error.description?.contains("print.mottaker") == true
        }
    }
}
