import Foundation
import ServiceLifecycle
import Synchronization
import Storage
import Testing
@testable import Engine

/// The background services run on threads of a higher nice value than the API's, so the operating system gives
/// the API the CPU first. These tests read each thread's nice value back from the kernel (`getpriority`).
@Suite("Background work at a lower priority than the API")
struct BackgroundExecutorTests {
    /// One pool for the suite: its threads live as long as the process.
    static let executor = BackgroundExecutor(threads: 3, increment: 7)
    /// What the executor's threads run at: 7 nicer than the test process (which may itself run niced).
    static let expected = min((BackgroundExecutor.processNiceness() ?? 0) + 7, 19)

    @Test("A task preferring the executor runs at its nice value; a task without it at the process's own")
    func runsNiced() async {
        let base = BackgroundExecutor.processNiceness()
        #expect(base != nil)
        #expect(await Task.detached { BackgroundExecutor.currentThreadNiceness() }.value == base)
        let inside = await withTaskExecutorPreference(Self.executor) { BackgroundExecutor.currentThreadNiceness() }
        #expect(inside == Self.expected)
        #expect(Self.expected > base ?? 0 || base == 19)
        #expect(Self.executor.isLowered)
        // Back on the cooperative pool once the preference ends.
        #expect(await Task.detached { BackgroundExecutor.currentThreadNiceness() }.value == base)
    }

    @Test("Child tasks, default actors and work resumed after a suspension stay on the background threads")
    func inherited() async throws {
        let counter = Tally()
        let seen = try await withTaskExecutorPreference(Self.executor) {
            try await withThrowingTaskGroup(of: [Int32?].self) { group in
                for _ in 0..<50 {
                    group.addTask {
                        let first = BackgroundExecutor.currentThreadNiceness()
                        try await Task.sleep(for: .milliseconds(2))
                        let afterSleep = BackgroundExecutor.currentThreadNiceness()
                        let inActor = await counter.increment()
                        return [first, afterSleep, inActor]
                    }
                }
                return try await group.reduce(into: [Int32?]()) { $0 += $1 }
            }
        }
        #expect(seen.count == 150)
        #expect(seen.allSatisfy { $0 == Self.expected })
        #expect(await counter.count == 50)
    }

    @Test("An unstructured task started from background work runs at the process's priority")
    func unstructuredTasksDoNotInherit() async {
        // The embedded store's group commit starts its leader with `Task {}` from whichever write comes first;
        // API writes join it, so it must not run on a background thread.
        let base = BackgroundExecutor.processNiceness()
        let seen = await withTaskExecutorPreference(Self.executor) {
            await Task { BackgroundExecutor.currentThreadNiceness() }.value
        }
        #expect(seen == base)
    }

    @Test("Jobs that block their thread for a while do not keep the others from running")
    func blockingJobs() async {
        let finished = Count()
        await withTaskExecutorPreference(Self.executor) {
            await withTaskGroup(of: Void.self) { group in
                // Two jobs hold two of the three threads; a thousand short ones still get through on the third.
                for _ in 0..<2 { group.addTask { usleep(300_000) } }
                for _ in 0..<1000 { group.addTask { finished.value.withLock { $0 += 1 } } }
            }
        }
        #expect(finished.value.withLock { $0 } == 1000)
    }

    @Test("A service run in the background runs its loop there and stops when the service group shuts down")
    func service() async throws {
        let probe = NicenessProbe()
        let group = ServiceGroup(configuration: .init(services: [InBackground(probe, on: Self.executor)],
                                                      logger: .init(label: "test")))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            while probe.seen.withLock({ $0 }) == nil { try await Task.sleep(for: .milliseconds(5)) }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(probe.seen.withLock { $0 } == Self.expected)
        #expect(probe.markedBackground.withLock { $0 })  // the PostgreSQL store serves API callers first
        #expect(probe.stopped.withLock { $0 })
    }

    @Test("The increment is kept within 1–19, and the nice value it makes at 19 at most")
    func clamped() {
        let base = BackgroundExecutor.processNiceness() ?? 0
        #expect(BackgroundExecutor(threads: 1, increment: 40).niceness == 19)
        let least = BackgroundExecutor(threads: 1, increment: -5)
        #expect(least.increment == 1)
        #expect(least.niceness == min(base + 1, 19))
    }
}

private final class Count: Sendable {
    let value = Mutex(0)
}

private actor Tally {
    var count = 0
    func increment() -> Int32? {
        count += 1
        return BackgroundExecutor.currentThreadNiceness()
    }
}

private final class NicenessProbe: Service, Sendable {
    let seen = Mutex<Int32?>(nil)
    let markedBackground = Mutex(false)
    let stopped = Mutex(false)

    func run() async throws {
        markedBackground.withLock { $0 = WorkPriority.isBackground }
        seen.withLock { $0 = BackgroundExecutor.currentThreadNiceness() }
        try? await gracefulShutdown()
        stopped.withLock { $0 = true }
    }
}
