#if os(Linux)
import Foundation
import Glibc
import Storage
import Testing

/// The promise behind "accepting a send is atomic with queueing it" (DECISIONS 6): once `write` has returned,
/// a process killed with SIGKILL loses nothing, and nothing is half-written.
///
/// The test runs this same test binary again as a child that writes (message + outbox job per transaction) and
/// prints `ACK n` after each commit returns, kills it mid-stream, and then checks the database. (Power loss is
/// what `synchronous = FULL` covers; that is checked by `SQLiteSchemaTests.commitsAreDurable`.)
@Suite("SQLite: acknowledged commits survive a killed process")
struct KilledProcessTests {
    static let childDatabase = ProcessInfo.processInfo.environment["STORAGE_TESTS_KILLED_CHILD_DB"]

    @Test(.enabled(if: childDatabase != nil, "runs only as the child of acknowledgedWritesSurviveSIGKILL"))
    func childWritesUntilKilled() async throws {
        let store = try SQLiteMessageStore(path: try #require(Self.childDatabase))
        for n in 1...100_000 {
            try await store.write { tx in
                try tx.insertOutgoing(Fixture.outgoing(n))
                _ = try tx.insertJob(OutboxJob(kind: .sendMessage, messageId: Fixture.messageId(n),
                                               createdAt: Clock.at(0), nextAttemptAt: Clock.at(0)))
            }
            FileHandle.standardOutput.write(Data("ACK \(n)\n".utf8))
        }
    }

    @Test func acknowledgedWritesSurviveSIGKILL() async throws {
        let path = TestFolder.make("killed").appendingPathComponent("ip.sqlite").path
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        child.arguments = ["--testing-library", "swift-testing", "--filter", "childWritesUntilKilled"]
        child.environment = ProcessInfo.processInfo.environment
            .merging(["STORAGE_TESTS_KILLED_CHILD_DB": path]) { $1 }
        let output = Pipe()
        child.standardOutput = output
        child.standardError = FileHandle.nullDevice
        try child.run()
        let pid = child.processIdentifier

        // A watchdog, so that a child that never writes cannot hang the suite.
        let watchdog = Task.detached {
            try await Task.sleep(for: .seconds(120))
            kill(pid, SIGKILL)
        }
        let acknowledged = await Task.detached { () -> Int in
            var text = ""
            var last = 0
            while true {
                let data = output.fileHandleForReading.availableData
                if data.isEmpty { return last }  // the child ended
                text += String(decoding: data, as: UTF8.self)
                while let newline = text.firstIndex(of: "\n") {
                    let line = text[..<newline]
                    if line.hasPrefix("ACK "), let n = Int(line.dropFirst(4)) { last = n }
                    text.removeSubrange(...newline)
                }
                if last >= 150 {
                    kill(pid, SIGKILL)
                    return last
                }
            }
        }.value
        child.waitUntilExit()
        watchdog.cancel()

        #expect(acknowledged >= 150, "the child acknowledged only \(acknowledged) writes before it ended")
        #expect(child.terminationReason == .uncaughtSignal)

        let store = try SQLiteMessageStore(path: path)
        let (messages, jobs, missing) = try await store.read { tx in
            let missing = try (1...max(acknowledged, 1)).filter { try tx.outgoing(messageId: Fixture.messageId($0)) == nil }
            return (try tx.countMessages(direction: .OUTGOING), try tx.countJobs(), missing)
        }
        #expect(missing.isEmpty, "acknowledged but lost: \(missing.prefix(10))")
        #expect(messages >= acknowledged)
        #expect(messages == jobs, "a message without its outbox job (or the reverse) was committed")
    }
}
#endif
