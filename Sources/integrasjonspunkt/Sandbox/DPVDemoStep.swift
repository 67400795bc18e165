import Foundation
import Sandbox

/// DPV: an arkivmelding from A to an organisation reached only by DPV, and a `digital_dpv` to a person; both
/// become correspondences in the sandbox's Altinn, are published (LEVERT) and then read (LEST) — the demo reads
/// them as the recipient would.
struct DPVDemoStep: SandboxDemoStep {
    var title: String {
        "DPV: an arkivmelding to \(SandboxAltinnCorrespondence.organisationName) and a digital_dpv to a person, through Altinn 3 Correspondence."
    }

    func run(_ demo: SandboxDemo, timeout: TimeInterval) async throws {
        guard let altinn = demo.network.service(SandboxAltinnCorrespondence.self) else {
            throw DemoError("the network has no Altinn Correspondence")
        }
        let sender = demo.sender
        let toOrganisation = UUID().uuidString.lowercased()
        try await demo.sendArkivmelding(messageId: toOrganisation, from: sender,
                                        to: SandboxAltinnCorrespondence.organisationNumber)
        say("Sent message \(toOrganisation) to \(SandboxAltinnCorrespondence.organisationNumber). Statuses at the sender:")
        try await followUntilRead(toOrganisation, demo: demo, altinn: altinn, timeout: timeout)

        let toPerson = UUID().uuidString.lowercased()
        try await sendDigitalDPV(messageId: toPerson, demo: demo)
        say("Sent message \(toPerson) to person \(SandboxAltinnCorrespondence.personNumber). Statuses at the sender:")
        try await followUntilRead(toPerson, demo: demo, altinn: altinn, timeout: timeout)
    }

    /// Prints the statuses until LEVERT, reads the correspondence as the recipient, and prints on until LEST.
    private func followUntilRead(_ messageId: String, demo: SandboxDemo, altinn: SandboxAltinnCorrespondence,
                                 timeout: TimeInterval) async throws {
        try await demo.follow(messageId, at: demo.sender, until: ["LEVERT"], timeout: timeout)
        say("  (the recipient opens the message in Altinn)")
        altinn.markRead(sendersReference: messageId)
        try await demo.follow(messageId, at: demo.sender, until: ["LEST"], timeout: timeout, quiet: ["OPPRETTET", "SENDT", "LEVERT"])
    }

    private func sendDigitalDPV(messageId: String, demo: SandboxDemo) async throws {
        let sbd = """
        {
          "standardBusinessDocumentHeader": {
            "headerVersion": "1.0",
            "sender": [ { "identifier": { "authority": "iso6523-actorid-upis", "value": "0192:\(demo.sender.organisation.organisationNumber)" } } ],
            "receiver": [ { "identifier": { "authority": "iso6523-actorid-upis", "value": "\(SandboxAltinnCorrespondence.personNumber)" } } ],
            "documentIdentification": {
              "standard": "urn:no:difi:digitalpost:xsd:digital::digital_dpv", "typeVersion": "2.0",
              "instanceIdentifier": "\(messageId)", "type": "digital_dpv"
            },
            "businessScope": { "scope": [ { "type": "ConversationId", "identifier": "urn:no:difi:profile:digitalpost:info:ver1.0" } ] }
          },
          "digital_dpv": { "tittel": "Svar på søknad", "sammendrag": "Søknaden er innvilget", "innhold": "Se vedlagt vedtak." }
        }
        """
        let sender = demo.sender
        try await demo.expectOK(demo.call(sender, "POST", "/api/messages/out", body: Data(sbd.utf8),
                                          contentType: "application/json"), "create digital_dpv")
        try await demo.expectOK(demo.call(sender, "PUT", "/api/messages/out/\(messageId)", body: DemoDocuments.pdf,
                                          contentType: "application/pdf",
                                          disposition: "attachment; name=\"Vedtak\"; filename=\"vedtak.pdf\""),
                                "upload vedtak.pdf")
        try await demo.expectOK(demo.call(sender, "POST", "/api/messages/out/\(messageId)"), "send digital_dpv")
    }
}
