import Foundation
import Synchronization
import Testing
@testable import Storage

/// The PostgreSQL store's connections go to callers who answer a request before background work.
@Suite("PostgreSQL connections: callers before background work")
struct ConnectionSlotsTests {
    @Test("With every connection in use, the next free one goes to a waiting caller even if background work asked first")
    func callersFirst() async throws {
        let slots = ConnectionSlots(count: 1)
        await slots.acquire(background: false)  // the one connection, in use
        let order = Order()
        let first = Task { await slots.acquire(background: true); order.add("background 1") }
        try await until { slots.snapshot.background == 1 }
        let second = Task { await slots.acquire(background: true); order.add("background 2") }
        try await until { slots.snapshot.background == 2 }
        let caller = Task { await slots.acquire(background: false); order.add("caller") }
        try await until { slots.snapshot.callers == 1 }

        for _ in 0..<3 {
            let before = order.count
            slots.release()
            try await until { order.count == before + 1 }
        }
        _ = await (first.value, second.value, caller.value)
        #expect(order.entries == ["caller", "background 1", "background 2"])
        slots.release()
        #expect(slots.snapshot.free == 1)
    }

    @Test("Free connections are taken at once, by anyone, up to the pool's size")
    func freeSlots() async throws {
        let slots = ConnectionSlots(count: 3)
        await slots.acquire(background: true)
        await slots.acquire(background: false)
        await slots.acquire(background: true)
        #expect(slots.snapshot.free == 0)
        let waiting = Task { await slots.acquire(background: false) }
        try await until { slots.snapshot.callers == 1 }
        slots.release()
        await waiting.value
        for _ in 0..<3 { slots.release() }
        #expect(slots.snapshot == (free: 3, callers: 0, background: 0))
    }

    @Test("Background work is marked by a task-local value its child tasks inherit")
    func marked() async {
        #expect(!WorkPriority.isBackground)
        let inChild = await WorkPriority.$isBackground.withValue(true) {
            await withTaskGroup(of: Bool.self) { group in
                group.addTask { WorkPriority.isBackground }
                return await group.next() ?? false
            }
        }
        #expect(inChild)
    }

    private func until(_ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while !condition() {
            guard ContinuousClock.now < deadline else { throw CancellationError() }
            try await Task.sleep(for: .milliseconds(2))
        }
    }
}

private final class Order: Sendable {
    private let state = Mutex<[String]>([])
    func add(_ entry: String) { state.withLock { $0.append(entry) } }
    var entries: [String] { state.withLock { $0 } }
    var count: Int { state.withLock { $0.count } }
}
