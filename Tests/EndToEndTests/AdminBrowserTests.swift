import Foundation
import Testing
import TestTools

/// The admin pages in a real browser: headless Chromium, JavaScript off, driven by `scripts/browser-check.py`
/// (Selenium). The screenshots are kept in `test-artifacts/admin/` for a person to look at.
@Suite("Admin pages in headless Chromium")
struct AdminBrowserTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Chromium, its driver and Selenium are installed by `scripts/test.sh`; elsewhere the test is skipped,
    /// but never in CI.
    static var browserAvailable: Bool {
        let tools = ["/usr/bin/chromium", "/usr/bin/chromedriver"].allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }
        return tools && (try? ExternalTool.run("python3", ["-c", "import selenium"])) != nil
    }

    @Test("Overview, conversation list, search and a conversation's page, with a message sent and one received",
          .enabled(if: browserAvailable || ProcessInfo.processInfo.environment["CI"] == "true",
                   "needs chromium, chromium-driver and selenium (scripts/test.sh installs them)"))
    func operatorWalkthrough() async throws {
        let pair = try await SandboxPair.start()
        defer { Task { await pair.stop() } }
        let outgoing = UUID().uuidString.lowercased()
        try await pair.send(messageId: outgoing, attachment: Data("%PDF-1.4 browser".utf8))
        _ = try await pair.takeAtB()
        #expect(try await pair.statusesAtA(outgoing).last == "LEVERT")

        // B sends one back, so A has a received message too (left unread in A's queue).
        let incoming = UUID().uuidString.lowercased()
        try pair.expect(await pair.call(pair.b, "POST", "/api/messages/out",
                                        body: SandboxPair.sbd(messageId: incoming, receiver: SandboxPair.senderOrg,
                                                              sender: SandboxPair.receiverOrg),
                                        headers: ["Content-Type": "application/json"]), "create at B")
        try pair.expect(await pair.call(pair.b, "PUT", "/api/messages/out/\(incoming)", body: Data(SandboxPair.arkivmelding.utf8),
                                        headers: ["Content-Type": "application/xml",
                                                  "Content-Disposition": "attachment; name=Arkivmelding; filename=arkivmelding.xml"]),
                        "upload at B")
        try pair.expect(await pair.call(pair.b, "PUT", "/api/messages/out/\(incoming)", body: Data("%PDF-1.4 reply".utf8),
                                        headers: ["Content-Type": "application/pdf",
                                                  "Content-Disposition": "attachment; name=Vedlegg; filename=vedlegg.pdf"]),
                        "upload at B")
        try pair.expect(await pair.call(pair.b, "POST", "/api/messages/out/\(incoming)"), "send at B")
        var received = false
        for _ in 0..<150 where !received {
            let reply = try await pair.call(pair.a, "GET", "/api/conversations?messageId=\(incoming)&direction=INCOMING")
            let page = try JSONSerialization.jsonObject(with: reply.body) as? [String: Any]
            received = (page?["totalElements"] as? Int) == 1
            if !received { try await Task.sleep(for: .milliseconds(200)) }
        }
        #expect(received, "A received B's message")

        let shots = Self.repository.appendingPathComponent("test-artifacts/admin")
        let (user, password) = pair.credentials(pair.a)
        let output = try ExternalTool.run("python3", [
            Self.repository.appendingPathComponent("scripts/browser-check.py").path,
            "http://127.0.0.1:\(pair.a.port)", user, password, outgoing, incoming, shots.path,
        ])
        print(String(decoding: output, as: UTF8.self))
        #expect(FileManager.default.fileExists(atPath: shots.appendingPathComponent("admin-conversation.png").path))
        await pair.stop()
    }
}
