import Foundation
import Sandbox

/// DPF: an arkivmelding from A to the DPF-only municipality over KS SvarUt, read there (LEST); then a forsendelse
/// from the municipality arrives in B's SvarInn mailbox and B's archive system takes it.
struct DPFDemoStep: SandboxDemoStep {
    var title: String {
        "DPF: an arkivmelding from A to the municipality \(SandboxKSFiks.municipalityNumber) over KS SvarUt, and one from SvarInn to B."
    }

    func run(_ demo: SandboxDemo, timeout: TimeInterval) async throws {
        guard let fiks = demo.network.service(SandboxKSFiks.self) else { return }
        let messageId = UUID().uuidString.lowercased()
        let sender = demo.sender
        // The municipality opens the forsendelse the moment SvarUt has it.
        fiks.svarUt.markRead(whenSent: messageId)
        try await demo.sendArkivmelding(messageId: messageId, from: sender, to: SandboxKSFiks.municipalityNumber)
        say("Sent message \(messageId) from \(sender.organisation.organisationNumber) to \(SandboxKSFiks.municipalityNumber) "
            + "(the municipality opens it in SvarUt at once). Statuses at the sender:")
        try await demo.follow(messageId, at: sender, until: ["LEST"], timeout: timeout)

        let receiver = demo.receiver
        let id = try fiks.svarInn.post(SandboxSvarInnParcel(
            tittel: "Svar fra kommunen", senderOrganisation: SandboxKSFiks.municipalityNumber,
            senderName: SandboxKSFiks.municipalityName,
            files: [.init(filename: "svar.pdf", mimetype: "application/pdf", data: DemoDocuments.pdf)]),
            to: receiver.organisation.organisationNumber)
        say("The municipality sent forsendelse \(id) to \(receiver.organisation.organisationNumber)'s SvarInn mailbox. Statuses at the receiver:")
        try await demo.follow(id, at: receiver, until: ["INNKOMMENDE_LEVERT"], timeout: timeout) {
            try await demo.actAsArchive(receiver)
        }
        say("  (SvarInn's answer: \(fiks.svarInn.answer(for: id).map { "\($0)" } ?? "none"))")
    }
}
