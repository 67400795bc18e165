import Foundation
import Testing

/// Two instances of the sender on one PostgreSQL database (issue 5): 200 messages sent through both, one
/// instance killed with SIGKILL in the middle; every message is delivered exactly once, with a complete status
/// history. Both instances poll the broker for B's receipts, so each receipt also reaches both.
@Suite("Two instances on one PostgreSQL", .serialized, .enabled(if: TestPostgres.isRequested))
struct TwoInstancesTests {
    static let messages = Int(ProcessInfo.processInfo.environment["IP_TWO_INSTANCES_MESSAGES"] ?? "") ?? 200

    @Test("200 messages through two instances, one killed with SIGKILL midway: each delivered exactly once with OPPRETTET, SENDT, MOTTATT, LEVERT")
    func twoInstancesOneKilled() async throws {
        let schema = TestPostgres.newSchema()
        let pair = try await SandboxPair.start { organisation in
            try TestPostgres.append(TestPostgres.properties(
                schema: organisation.organisationNumber == SandboxPair.senderOrg ? schema : TestPostgres.newSchema()),
                to: organisation)
        }
        // The second instance of A: the same properties (and so the same database), its own folder and port.
        let folder = pair.folder.appendingPathComponent("\(SandboxPair.senderOrg)-second")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: pair.a.folder.appendingPathComponent("integrasjonspunkt-local.properties"),
                                         to: folder.appendingPathComponent("integrasjonspunkt-local.properties"))
        let second = IntegrationPointProcess(folder: folder, port: try IntegrationPointProcess.freePort())
        try second.start(["--server.port=\(second.port)"])
        defer { second.kill(signal: SIGKILL) }
        do {
            try await second.waitUntilReady(timeout: 60)
            try await run(pair, second: second)
        } catch {
            Issue.record("\(error)\nA:\n\(pair.a.log)\nA':\n\(second.log)\nB:\n\(pair.b.log)")
        }
        await pair.stop()
    }

    func run(_ pair: SandboxPair, second: IntegrationPointProcess) async throws {
        let ledger = SendLedger()
        let total = Self.messages
        // One client per instance, each sending half; the client of the killed instance goes on through the other.
        let clients = [pair.a, second].map { node in
            Task {
                var target = node
                for _ in 0..<(total / 2) {
                    let messageId = UUID().uuidString.lowercased()
                    do {
                        try await pair.send(messageId: messageId, attachment: Data("two instances \(messageId)".utf8),
                                            through: target)
                        await ledger.accept(messageId)
                    } catch {
                        // The send may have committed just before the kill: delivered at most once.
                        await ledger.maybe(messageId)
                        target = pair.a
                    }
                }
            }
        }
        // B's archive system takes whatever arrives.
        let running = Flag()
        let archive = Task {
            while running.value {
                if let taken = try? await pair.takeAtB(count: 1, timeout: 1), let first = taken.first {
                    await ledger.take(first.messageId)
                }
            }
        }
        // Kill the second instance in the middle, with sends and deliveries in flight.
        while await ledger.handledCount < total / 2 { try await Task.sleep(for: .milliseconds(100)) }
        second.kill(signal: SIGKILL)
        for client in clients { _ = await client.value }

        let accepted = await ledger.accepted
        // Jobs leased by the killed instance are taken over once their lease (30 s) runs out.
        let deadline = Date().addingTimeInterval(300)
        while Date() < deadline, !Set(accepted).isSubset(of: Set(await ledger.taken)) {
            try await Task.sleep(for: .milliseconds(500))
        }
        // Give late duplicates a chance to show up before judging.
        try await Task.sleep(for: .seconds(5))
        running.value = false
        _ = await archive.value

        let taken = await ledger.taken
        let uncertain = Set(await ledger.uncertain)
        #expect(accepted.count >= total - 2, "almost every send is accepted: \(accepted.count) of \(total)")
        let counts = Dictionary(taken.map { ($0, 1) }, uniquingKeysWith: +)
        let missing = accepted.filter { counts[$0] == nil }
        let duplicated = counts.filter { $0.value > 1 }.map(\.key)
        let strangers = counts.keys.filter { !accepted.contains($0) && !uncertain.contains($0) }
        #expect(missing.isEmpty, "accepted but never delivered: \(missing)")
        #expect(duplicated.isEmpty, "delivered more than once: \(duplicated)")
        #expect(strangers.isEmpty, "delivered but never sent: \(strangers)")

        for messageId in accepted {
            let statuses = try await pair.statusesAtA(messageId, timeout: 120)
            for expected in ["OPPRETTET", "SENDT", "MOTTATT", "LEVERT"] {
                #expect(statuses.filter { $0 == expected }.count == 1, "\(messageId): \(statuses)")
            }
            #expect(!statuses.contains("FEIL"), "\(messageId): \(statuses)")
        }
        print("two instances: \(accepted.count) accepted, \(uncertain.count) uncertain, \(taken.count) taken at B")
    }
}
