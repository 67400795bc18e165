import Foundation
import Sandbox

/// DPI: A sends a digital letter to the citizen with a mailbox and a print letter to the citizen without one; the
/// sandbox corner 2 answers with signed receipts, and A's statuses are printed until LEST.
struct DPIDemoStep: SandboxDemoStep {
    var title: String {
        "DPI: a digital letter to citizen \(SandboxDigitalPost.citizenWithMailbox)'s mailbox, and a print letter to citizen \(SandboxDigitalPost.citizenWithoutMailbox), from A."
    }

    func run(_ demo: SandboxDemo, timeout: TimeInterval) async throws {
        let sender = demo.sender
        let digital = UUID().uuidString.lowercased()
        try await send(demo, messageId: digital, type: "digital", to: SandboxDigitalPost.citizenWithMailbox,
                       standard: SandboxDigitalPost.digitalDocumentType, businessMessage: """
                       { "sikkerhetsnivaa": 4, "hoveddokument": "vedtak.pdf", "tittel": "Vedtak om bostøtte", "spraak": "NO",
                         "digitalPostInfo": { "aapningskvittering": true },
                         "varsler": { "epostTekst": "Du har fått et vedtak", "smsTekst": "Du har fått et vedtak" } }
                       """)
        say("Sent digital letter \(digital). Statuses at the sender:")
        try await demo.follow(digital, at: sender, until: ["LEST"], timeout: timeout)

        let print = UUID().uuidString.lowercased()
        // No addresses given: the integration point takes them from the citizen's record in the service registry.
        try await send(demo, messageId: print, type: "print", to: SandboxDigitalPost.citizenWithoutMailbox,
                       standard: SandboxDigitalPost.printDocumentType,
                       businessMessage: #"{ "hoveddokument": "vedtak.pdf", "utskriftsfarge": "SORT_HVIT", "posttype": "B_OEKONOMI" }"#)
        say("Sent print letter \(print). Statuses at the sender:")
        try await demo.follow(print, at: sender, until: ["LEST"], timeout: timeout)
    }

    private func send(_ demo: SandboxDemo, messageId: String, type: String, to citizen: String, standard: String,
                      businessMessage: String) async throws {
        let sender = demo.sender
        let sbd = """
        {
          "standardBusinessDocumentHeader": {
            "headerVersion": "1.0",
            "sender": [ { "identifier": { "authority": "iso6523-actorid-upis", "value": "0192:\(sender.organisation.organisationNumber)" } } ],
            "receiver": [ { "identifier": { "authority": "iso6523-actorid-upis", "value": "\(citizen)" } } ],
            "documentIdentification": { "standard": "\(standard)", "typeVersion": "1.0", "instanceIdentifier": "\(messageId)",
                                        "type": "\(type)" },
            "businessScope": { "scope": [ { "type": "ConversationId", "identifier": "\(SandboxDigitalPost.processes[0])" } ] }
          },
          "\(type)": \(businessMessage)
        }
        """
        try demo.expectOK(try await demo.call(sender, "POST", "/api/messages/out", body: Data(sbd.utf8), contentType: "application/json"),
                          "create \(type)")
        try demo.expectOK(try await demo.call(sender, "PUT", "/api/messages/out/\(messageId)", body: DemoDocuments.pdf,
                                              contentType: "application/pdf",
                                              disposition: "attachment; name=\"Vedtak om bostøtte\"; filename=\"vedtak.pdf\""),
                          "upload vedtak.pdf")
        try demo.expectOK(try await demo.call(sender, "POST", "/api/messages/out/\(messageId)"), "send \(type)")
    }
}
