import Foundation

/// One channel's part of the sandbox demo.
protocol SandboxDemoStep: Sendable {
    /// The line printed before the step runs.
    var title: String { get }
    func run(_ demo: SandboxDemo, timeout: TimeInterval) async throws
}

/// DPO: an arkivmelding from A to B over the Altinn broker; B's archive system takes it; A sees LEVERT.
struct DPODemoStep: SandboxDemoStep {
    var title: String { "DPO: an arkivmelding with a PDF from A to B over the Altinn 3 Broker." }

    func run(_ demo: SandboxDemo, timeout: TimeInterval) async throws {
        let messageId = UUID().uuidString.lowercased()
        let (sender, receiver) = (demo.sender, demo.receiver)
        try await demo.sendArkivmelding(messageId: messageId, from: sender, to: receiver.organisation.organisationNumber)
        say("Sent message \(messageId) from \(sender.organisation.organisationNumber) to \(receiver.organisation.organisationNumber). Statuses at the sender:")
        try await demo.follow(messageId, at: sender, until: ["LEVERT"], timeout: timeout) {
            try await demo.actAsArchive(receiver)
        }
    }
}
