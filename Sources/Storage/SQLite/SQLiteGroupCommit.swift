import Foundation
import GRDB
import Synchronization

/// Group commit for the embedded store: write transactions that arrive while another one is committing are run
/// together in the next transaction, each in a savepoint of its own, and committed with one `fsync`.
///
/// SQLite has one writer at a time, and with `synchronous = FULL` every commit waits for the disk (about 2 ms on
/// the benchmark machine). A message takes some ten write transactions between create and LEVERT, so committing
/// them one by one caps throughput at a few dozen messages per second, whatever the CPU. Batching keeps every
/// promise of `MessageStore.write`: a caller's changes commit all or nothing (a body that throws rolls back only its
/// own savepoint), bodies run one after another as if alone, and `write` returns only after the commit that holds
/// its changes is durable. A batch whose commit fails fails every caller in it.
final class SQLiteGroupCommit: Sendable {
    /// The most bodies committed together; a bound on how long one transaction holds the write lock.
    static let maximumBatch = 64

    private let pool: DatabasePool
    private let state = Mutex(State())

    private struct State {
        var pending: [PendingWrite] = []
        /// Whether a task is committing batches now; it takes everything that arrives meanwhile.
        var committing = false
    }

    init(pool: DatabasePool) {
        self.pool = pool
    }

    /// Runs `body` in a write transaction (possibly shared with other callers) and returns once it is committed.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let outcome = Mutex<Result<T, any Error>?>(nil)
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let pending = PendingWrite(
                run: { db, savepoint in
                    do {
                        let value: T
                        if savepoint {
                            var result: T?
                            try db.inSavepoint {
                                result = try body(db)
                                return .commit
                            }
                            value = result!
                        } else {
                            value = try body(db)
                        }
                        outcome.withLock { $0 = .success(value) }
                    } catch {
                        outcome.withLock { $0 = .failure(error) }
                        throw error
                    }
                },
                complete: { commitFailure in
                    let result = outcome.withLock { $0 } ?? .failure(commitFailure ?? CancellationError())
                    if let commitFailure, case .success = result {
                        continuation.resume(throwing: commitFailure)
                    } else {
                        continuation.resume(with: result)
                    }
                })
            let leads = state.withLock { state -> Bool in
                state.pending.append(pending)
                if state.committing { return false }
                state.committing = true
                return true
            }
            if leads { Task { await self.commitPending() } }
        }
    }

    /// Commits batches until nothing is pending.
    private func commitPending() async {
        while true {
            let batch = state.withLock { state -> [PendingWrite] in
                guard !state.pending.isEmpty else {
                    state.committing = false
                    return []
                }
                let taken = Array(state.pending.prefix(Self.maximumBatch))
                state.pending.removeFirst(taken.count)
                return taken
            }
            if batch.isEmpty { return }
            await commit(batch)
        }
    }

    private func commit(_ batch: [PendingWrite]) async {
        do {
            try await pool.write { db in
                if batch.count == 1 {
                    // Alone: the body's own error rolls the transaction back.
                    try batch[0].run(db, false)
                    return
                }
                for pending in batch {
                    do {
                        try pending.run(db, true)
                    } catch {
                        // Rolled back to its savepoint; the others go on. Should SQLite have rolled back the whole
                        // transaction (a full disk, an I/O error), nothing more may run outside it.
                        if !db.isInsideTransaction { throw BatchAborted(cause: error) }
                    }
                }
            }
            for pending in batch { pending.complete(nil) }
        } catch let aborted as BatchAborted {
            for pending in batch { pending.complete(aborted.cause) }
        } catch {
            for pending in batch { pending.complete(error) }
        }
    }

    private struct BatchAborted: Error {
        let cause: any Error
    }
}

/// One caller's body waiting for its batch.
private struct PendingWrite: Sendable {
    /// Runs the body (in a savepoint when the flag is set), keeping its outcome; rethrows its error.
    let run: @Sendable (Database, Bool) throws -> Void
    /// Resumes the caller once the batch is over, with the commit's failure if it failed.
    let complete: @Sendable ((any Error)?) -> Void
}
