import Foundation
import Sandbox

/// DPE: eInnsyn sends an innsynskrav to A over the Azure Service Bus; A's archive system takes it (peek → pop →
/// delete) and answers with an einnsyn_kvittering, which A sends to eInnsyn; A's statuses are printed until LEVERT.
struct DPEDemoStep: SandboxDemoStep {
    var title: String { "DPE: an innsynskrav from eInnsyn to A over the Azure Service Bus, and A's einnsyn_kvittering back." }

    func run(_ demo: SandboxDemo, timeout: TimeInterval) async throws {
        guard let dpe = demo.network.service(SandboxDPE.self) else { return }
        let agency = demo.sender
        let einnsyn = dpe.einnsyn.organisationNumber
        let order = try dpe.einnsyn.sendInnsynskrav(to: agency.organisation.organisationNumber)
        say("eInnsyn (\(einnsyn)) sent innsynskrav \(order) to \(agency.organisation.organisationNumber); its archive system takes it:")
        let conversationId = try await takeInnsynskrav(order, at: agency, demo: demo, timeout: timeout)

        let receipt = UUID().uuidString.lowercased()
        let sbd = """
        {
          "standardBusinessDocumentHeader": {
            "headerVersion": "1.0",
            "sender": [ { "identifier": { "authority": "iso6523-actorid-upis", "value": "0192:\(agency.organisation.organisationNumber)" } } ],
            "receiver": [ { "identifier": { "authority": "iso6523-actorid-upis", "value": "0192:\(einnsyn)" } } ],
            "documentIdentification": {
              "standard": "\(SandboxEInnsynRecords.kvitteringType)", "typeVersion": "2.0",
              "instanceIdentifier": "\(receipt)", "type": "einnsyn_kvittering"
            },
            "businessScope": { "scope": [ { "type": "ConversationId", "instanceIdentifier": "\(conversationId)",
                                            "identifier": "\(SandboxEInnsynRecords.responseProcess)" } ] }
          },
          "einnsyn_kvittering": { "dokumentId": "\(order)", "status": "{\\"status\\":\\"OK\\"}", "referanseType": "innsynskrav" }
        }
        """
        try await demo.expectOK(demo.call(agency, "POST", "/api/messages/out", body: Data(sbd.utf8), contentType: "application/json"),
                                "create einnsyn_kvittering")
        try await demo.expectOK(demo.call(agency, "POST", "/api/messages/out/\(receipt)"), "send einnsyn_kvittering")
        say("\(agency.organisation.organisationNumber) sent einnsyn_kvittering \(receipt) to eInnsyn. Statuses at \(agency.organisation.organisationNumber):")
        try await demo.follow(receipt, at: agency, until: ["LEVERT"], timeout: timeout)
        if dpe.einnsyn.messages.contains(where: { $0.sbd.messageId == receipt }) {
            say("  (eInnsyn received the einnsyn_kvittering on nextbestqueue\(einnsyn)data, without files)")
        }
    }

    /// A's archive system: peek for the innsynskrav, pop its order, delete it; answers its conversationId.
    private func takeInnsynskrav(_ messageId: String, at node: SandboxNode, demo: SandboxDemo, timeout: TimeInterval) async throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let peek = try await demo.call(node, "GET", "/api/messages/in/peek?messageId=\(messageId)")
            guard peek.status == 200 else {
                try await Task.sleep(for: .milliseconds(300))
                continue
            }
            let json = try JSONSerialization.jsonObject(with: peek.body) as? [String: Any]
            let header = json?["standardBusinessDocumentHeader"] as? [String: Any]
            let scopes = (header?["businessScope"] as? [String: Any])?["scope"] as? [[String: Any]]
            let conversationId = scopes?.first { $0["type"] as? String == "ConversationId" }?["instanceIdentifier"] as? String ?? ""
            let pop = try await demo.call(node, "GET", "/api/messages/in/pop/\(messageId)")
            try demo.expectOK(pop, "pop innsynskrav")
            let folder = node.organisation.directory.appendingPathComponent("archive")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let file = folder.appendingPathComponent("\(messageId).asice")
            try pop.body.write(to: file)
            try await demo.expectOK(demo.call(node, "DELETE", "/api/messages/in/\(messageId)"), "delete innsynskrav")
            say("  peeked, popped (\(pop.body.count) bytes in \(file.path)) and deleted; eInnsyn gets MOTTATT and LEVERT")
            return conversationId
        }
        throw DemoError("the innsynskrav did not arrive at \(node.organisation.organisationNumber) within \(Int(timeout)) s")
    }
}
