import Foundation
import Packaging
import Testing

/// `integrasjonspunkt migrate-store`: two integration points run on the embedded store, are stopped with messages
/// in several states, are migrated to PostgreSQL, and carry on there.
@Suite("migrate-store end to end", .serialized, .enabled(if: TestPostgres.isRequested))
struct MigrateStoreTests {
    @Test("Messages delivered, created but not sent, and waiting at the receiver survive the move to PostgreSQL with their payloads and statuses")
    func migrateAndCarryOn() async throws {
        let pair = try await SandboxPair.start()
        do {
            try await migrateAndCarryOn(pair)
        } catch {
            Issue.record("\(error)\nA:\n\(pair.a.log)\nB:\n\(pair.b.log)")
        }
        await pair.stop()
    }

    func migrateAndCarryOn(_ pair: SandboxPair) async throws {
        // Delivered: LEVERT at A, taken at B.
        let delivered = UUID().uuidString.lowercased()
        try await pair.send(messageId: delivered, attachment: Data("delivered".utf8))
        #expect(try await pair.takeAtB().map(\.messageId) == [delivered])
        try await pair.expectStatusesAtA(delivered, ["OPPRETTET", "SENDT", "MOTTATT", "LEVERT"])
        // Waiting at B: received, not yet taken by B's archive system.
        let waiting = UUID().uuidString.lowercased()
        let waitingAttachment = Data((0..<50_000).map { UInt8($0 % 241) })
        try await pair.send(messageId: waiting, attachment: waitingAttachment)
        #expect(try await pair.statusesAtA(waiting, until: "MOTTATT").contains("MOTTATT"))
        // Created at A with its files uploaded, not sent.
        let created = UUID().uuidString.lowercased()
        let createdAttachment = Data((0..<30_000).map { UInt8($0 % 239) })
        try pair.expect(await pair.call(pair.a, "POST", "/api/messages/out", body: SandboxPair.sbd(messageId: created),
                                        headers: ["Content-Type": "application/json"]), "create")
        try pair.expect(await pair.call(pair.a, "PUT", "/api/messages/out/\(created)",
                                        body: Data(SandboxPair.arkivmelding.utf8),
                                        headers: ["Content-Type": "application/xml",
                                                  "Content-Disposition": "attachment; name=Arkivmelding; filename=arkivmelding.xml"]), "upload")
        try pair.expect(await pair.call(pair.a, "PUT", "/api/messages/out/\(created)", body: createdAttachment,
                                        headers: ["Content-Type": "application/pdf",
                                                  "Content-Disposition": "attachment; name=Vedlegg; filename=vedlegg.pdf"]), "upload")

        for node in [pair.a, pair.b] {
            node.kill(signal: SIGTERM)
            #expect(try await node.waitForExit() == 0)
        }
        for (node, organisation) in zip([pair.a, pair.b], pair.network.organisations) {
            let schema = TestPostgres.newSchema()
            let server = try TestPostgres.requireURL()
            var target = server
            target.queryItems = [URLQueryItem(name: "currentSchema", value: schema)]
            let (status, output) = try IntegrationPointProcess.run(["migrate-store", "--to", target.string!], in: node.folder)
            #expect(status == 0, "\(output)")
            #expect(output.contains("conversation") && output.contains("message_status") && output.contains("payloads")
                    && output.contains("→"), "\(output)")
            let (again, refusal) = try IntegrationPointProcess.run(["migrate-store", "--to", target.string!], in: node.folder)
            #expect(again == 1 && refusal.contains("not empty"), "\(refusal)")
            try TestPostgres.append(TestPostgres.properties(schema: schema), to: organisation)
        }
        // The embedded files are moved away, so nothing can come from them.
        for node in [pair.a, pair.b] {
            try FileManager.default.moveItem(at: node.folder.appendingPathComponent("integrasjonspunkt.sqlite"),
                                             to: node.folder.appendingPathComponent("embedded.sqlite.old"))
            try? FileManager.default.moveItem(at: node.folder.appendingPathComponent("messages"),
                                              to: node.folder.appendingPathComponent("messages.old"))
            try node.start()
            try await node.waitUntilReady(timeout: 60)
            #expect(node.log.contains("Storing in PostgreSQL"))
        }

        try await pair.expectStatusesAtA(delivered, ["OPPRETTET", "SENDT", "MOTTATT", "LEVERT"])
        let found = try await pair.call(pair.a, "GET", "/api/messages/out/\(created)")
        #expect(found.status == 200, "the created message is found at A after the move")
        // The waiting message is still offered at B, with the container A sealed for it.
        let taken = try await pair.takeAtB(count: 1)
        #expect(taken.map(\.messageId) == [waiting])
        if let container = taken.first?.container {
            #expect(try attachment(of: container, messageId: waiting) == waitingAttachment)
        }
        try await pair.expectStatusesAtA(waiting, ["OPPRETTET", "SENDT", "MOTTATT", "LEVERT"])
        // The created message is sent from its migrated files.
        try pair.expect(await pair.call(pair.a, "POST", "/api/messages/out/\(created)"), "send")
        let sent = try await pair.takeAtB(count: 1)
        #expect(sent.map(\.messageId) == [created])
        if let container = sent.first?.container {
            #expect(try attachment(of: container, messageId: created) == createdAttachment)
        }
        try await pair.expectStatusesAtA(created, ["OPPRETTET", "SENDT", "MOTTATT", "LEVERT"])
    }

    func attachment(of container: Data, messageId: String) throws -> Data {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(messageId).asice")
        defer { try? FileManager.default.removeItem(at: url) }
        try container.write(to: url)
        return try AsicReader(url: url).data("vedlegg.pdf")
    }
}
