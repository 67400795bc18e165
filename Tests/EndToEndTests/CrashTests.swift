import Foundation
import Testing

/// Crash safety under load (issue 8): A is killed with SIGKILL at random moments while a client keeps sending,
/// and restarted each time; in the end B's archive system has taken every message whose send A accepted exactly
/// once, and A's status history of each is complete.
///
/// Not in the quick suite: `scripts/crash-test.sh`, or `IP_CRASH_TEST=1 swift test --filter CrashTests`.
/// `IP_CRASH_KILLS` sets the number of kills (default 20).
@Suite("Crash safety", .serialized, .enabled(if: ProcessInfo.processInfo.environment["IP_CRASH_TEST"] == "1"))
struct CrashTests {
    static let kills = Int(ProcessInfo.processInfo.environment["IP_CRASH_KILLS"] ?? "") ?? 20

    @Test("SIGKILL at random moments under load, restart, repeat: every accepted message is delivered exactly once")
    func killAndRestartUnderLoad() async throws {
        let pair = try await SandboxPair.start()
        let ledger = SendLedger()
        let running = Flag()

        // The sending archive system: create, upload, send, over and over; a failed request means A is down.
        let load = Task {
            while running.value {
                let messageId = UUID().uuidString.lowercased()
                do {
                    try await pair.send(messageId: messageId, attachment: Data("crash test \(messageId)".utf8))
                    await ledger.accept(messageId)
                } catch {
                    // The send may have been committed just before the kill; it may be delivered, but at most once.
                    await ledger.maybe(messageId)
                    try? await Task.sleep(for: .milliseconds(100))
                }
            }
        }
        // The receiving archive system at B: peek, pop, delete, all the time.
        let archive = Task {
            while running.value || !Task.isCancelled {
                if let taken = try? await pair.takeAtB(count: 1, timeout: 1), let first = taken.first {
                    await ledger.take(first.messageId)
                } else if !running.value {
                    return
                }
            }
        }

        for round in 1...Self.kills {
            // Kill at a random moment, but only once the load is going again: beside the rest of the suite on two
            // cores a send can take longer than the pause, and a kill before any send would test nothing.
            let acceptedBefore = await ledger.accepted.count
            try await Task.sleep(for: .milliseconds(Int.random(in: 300...2_500)))
            let resumed = Date().addingTimeInterval(120)
            while await ledger.accepted.count == acceptedBefore {
                guard Date() < resumed else {
                    Issue.record("no send was accepted within 120 s of A's restart \(round - 1)\nA, last lines:\n\(pair.a.log.suffix(4000))")
                    break
                }
                try await Task.sleep(for: .milliseconds(Int.random(in: 20...200)))
            }
            pair.a.kill(signal: SIGKILL)
            _ = try await pair.a.waitForExit()
            try pair.a.start()
            try await pair.a.waitUntilReady(timeout: 60)
            let acceptedSoFar = await ledger.accepted.count
            print("crash test: kill \(round)/\(Self.kills) done, \(acceptedSoFar) sends accepted so far")
        }
        running.value = false
        _ = await load.value

        // Let every accepted message arrive; retries after a crash may take a while.
        let accepted = await ledger.accepted
        let deadline = Date().addingTimeInterval(180)
        var taken: [String] = []
        while Date() < deadline {
            if let more = try? await pair.takeAtB(count: 1, timeout: 2), let first = more.first {
                await ledger.take(first.messageId)
            }
            taken = await ledger.taken
            if Set(accepted).isSubset(of: Set(taken)) {
                // Give late duplicates a chance to show up before judging.
                guard let late = try? await pair.takeAtB(count: 1, timeout: 10), let first = late.first else { break }
                await ledger.take(first.messageId)
            }
        }
        archive.cancel()
        _ = await archive.value
        taken = await ledger.taken
        let uncertain = Set(await ledger.uncertain)

        #expect(accepted.count >= Self.kills, "every kill should have come after a send accepted since the last one")
        let counts = Dictionary(taken.map { ($0, 1) }, uniquingKeysWith: +)
        let missing = accepted.filter { counts[$0] == nil }
        let duplicated = counts.filter { $0.value > 1 }.map(\.key)
        let strangers = counts.keys.filter { !accepted.contains($0) && !uncertain.contains($0) }
        #expect(missing.isEmpty, "accepted but never delivered: \(missing)")
        #expect(duplicated.isEmpty, "delivered more than once: \(duplicated)")
        #expect(strangers.isEmpty, "delivered but never sent: \(strangers)")

        for messageId in accepted {
            let statuses = try await pair.statusesAtA(messageId, timeout: 60)
            for expected in ["OPPRETTET", "SENDT", "MOTTATT", "LEVERT"] {
                #expect(statuses.contains(expected), "\(messageId) lacks \(expected): \(statuses)")
            }
            #expect(!statuses.contains("FEIL"), "\(messageId): \(statuses)")
            #expect(statuses.filter { $0 == "OPPRETTET" }.count == 1, "\(messageId): \(statuses)")
        }
        print("crash test: \(Self.kills) kills, \(accepted.count) accepted, \(taken.count) taken at B, \(uncertain.count) uncertain")
        await pair.stop()
    }
}

final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var stored = true
    var value: Bool {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
