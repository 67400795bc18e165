import Foundation
import Testing

/// The integration point binaries on PostgreSQL (`IP_TEST_POSTGRES_URL`, started by `scripts/test.sh`), each
/// organisation in a schema of its own.
@Suite("End to end on PostgreSQL", .serialized, .enabled(if: TestPostgres.isRequested))
struct PostgresEndToEndTests {
    @Test("A and B both on PostgreSQL: A sends, B peeks, pops and deletes; A sees OPPRETTET, SENDT, MOTTATT, LEVERT")
    func exchangeOnPostgres() async throws {
        let pair = try await SandboxPair.start { organisation in
            try TestPostgres.append(TestPostgres.properties(schema: TestPostgres.newSchema()), to: organisation)
        }
        do {
            #expect(pair.a.log.contains("Storing in PostgreSQL"), "\(pair.a.log)")
            let messageId = UUID().uuidString.lowercased()
            let attachment = Data((0..<300_000).map { UInt8($0 % 251) })
            try await pair.send(messageId: messageId, attachment: attachment)
            let taken = try await pair.takeAtB()
            #expect(taken.map(\.messageId) == [messageId])
            try await pair.expectStatusesAtA(messageId, ["OPPRETTET", "SENDT", "MOTTATT", "LEVERT"])
            let incoming = try await pair.call(pair.b, "GET", "/api/statuses/\(messageId)")
            let text = String(decoding: incoming.body, as: UTF8.self)
            #expect(text.contains("INNKOMMENDE_MOTTATT") && text.contains("INNKOMMENDE_LEVERT"), "\(text)")
        } catch {
            Issue.record("\(error)\nA:\n\(pair.a.log)\nB:\n\(pair.b.log)")
        }
        await pair.stop()
    }

    @Test("PostgreSQL unreachable at start-up: the binary serves /manage/health DOWN with host, port and what to check, becomes ready when the server answers, reports DOWN again when it goes away without exiting, and recovers")
    func databaseDownAndBack() async throws {
        let proxyPort = try IntegrationPointProcess.freePort()
        let proxy = TCPProxy(port: proxyPort, targetPort: TestPostgres.serverPort)
        let schema = TestPostgres.newSchema()
        let pair = try await SandboxPair.start(startA: false) { organisation in
            guard organisation.organisationNumber == SandboxPair.senderOrg else { return }
            try TestPostgres.append(TestPostgres.properties(schema: schema, port: proxyPort), to: organisation)
        }
        do {
            try pair.a.start()
            let down = try await pair.a.waitForHealth(status: 503)
            #expect(down.contains("\"DOWN\"") && down.contains("127.0.0.1:\(proxyPort)")
                    && down.contains("difi.datasource.url"), "\(down)")
            let refused = try await pair.call(pair.a, "GET", "/api/conversations")
            #expect(refused.status == 503, "the API answers 503 while the database cannot be reached")
            #expect(String(decoding: refused.body, as: UTF8.self).contains("try again later"))
            #expect(pair.a.log.contains("127.0.0.1:\(proxyPort)") && pair.a.log.contains("keeps trying"), "\(pair.a.log)")

            try await proxy.start()
            _ = try await pair.a.waitForHealth(status: 200, timeout: 90)
            let first = UUID().uuidString.lowercased()
            try await pair.send(messageId: first, attachment: Data("first".utf8))
            #expect(try await pair.takeAtB().map(\.messageId) == [first])
            try await pair.expectStatusesAtA(first, ["OPPRETTET", "SENDT", "MOTTATT", "LEVERT"])

            proxy.kill()
            let again = try await pair.a.waitForHealth(status: 503)
            #expect(again.contains("127.0.0.1:\(proxyPort)"), "\(again)")
            #expect(pair.a.process?.isRunning == true, "the binary keeps running while the database is away")

            try await proxy.start()
            _ = try await pair.a.waitForHealth(status: 200, timeout: 90)
            let second = UUID().uuidString.lowercased()
            try await pair.send(messageId: second, attachment: Data("second".utf8))
            #expect(try await pair.takeAtB().map(\.messageId) == [second])
            try await pair.expectStatusesAtA(second, timeout: 120, ["OPPRETTET", "SENDT", "MOTTATT", "LEVERT"])
        } catch {
            Issue.record("\(error)\nA:\n\(pair.a.log)\nB:\n\(pair.b.log)")
        }
        proxy.kill()
        await pair.stop()
    }
}

extension IntegrationPointProcess {
    /// Polls `/manage/health` until it answers `status`; returns the body. Fails when the process exits.
    func waitForHealth(status wanted: Int, timeout: TimeInterval = 60) async throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = "no answer"
        while Date() < deadline {
            if let process, !process.isRunning {
                throw E2EError("the integration point exited with \(process.terminationStatus):\n\(log)")
            }
            if let reply = try? await HTTP.get("http://127.0.0.1:\(port)/manage/health") {
                last = "\(reply.status) \(String(decoding: reply.body, as: UTF8.self))"
                if reply.status == wanted { return String(decoding: reply.body, as: UTF8.self) }
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw E2EError("/manage/health did not answer \(wanted) within \(Int(timeout)) s; last: \(last)")
    }
}
