import Synchronization

/// The right to use one of a store's connections, handed out first to callers who answer a request and then to
/// background work, each in the order they asked.
///
/// The outbox and the pollers can keep every connection busy under load; in a plain queue an API call would then
/// wait behind every background transaction that asked before it. A slot is held for one transaction, so a caller
/// waits at most until the next one ends.
final class ConnectionSlots: Sendable {
    private struct State {
        var free: Int
        var callers: [CheckedContinuation<Void, Never>] = []
        var background: [CheckedContinuation<Void, Never>] = []

        /// Takes a free slot, if there is one.
        mutating func takeFree() -> Bool {
            guard free > 0 else { return false }
            free -= 1
            return true
        }
    }
    private let state: Mutex<State>

    init(count: Int) {
        state = Mutex(State(free: max(count, 1)))
    }

    /// Waits for a slot; `background` callers wait while anyone else does.
    func acquire(background: Bool) async {
        // Most of the time a slot is free: no continuation to make.
        if state.withLock({ $0.takeFree() }) { return }
        await withCheckedContinuation { continuation in
            let grantedNow = state.withLock { state -> Bool in
                if state.takeFree() { return true }
                if background { state.background.append(continuation) } else { state.callers.append(continuation) }
                return false
            }
            if grantedNow { continuation.resume() }
        }
    }

    /// Gives the slot to the first waiting caller, else to the first waiting background task, else back.
    func release() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if !state.callers.isEmpty { return state.callers.removeFirst() }
            if !state.background.isEmpty { return state.background.removeFirst() }
            state.free += 1
            return nil
        }
        next?.resume()
    }

    /// Slots free now and callers waiting, for tests.
    var snapshot: (free: Int, callers: Int, background: Int) {
        state.withLock { ($0.free, $0.callers.count, $0.background.count) }
    }
}
