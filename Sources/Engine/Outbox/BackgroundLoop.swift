import Foundation
import Logging
import ServiceLifecycle

/// The loop every background job runs: do a round, then pause — shorter when woken — until the service is told
/// to stop. A failed round is logged and retried after a pause that grows while rounds keep failing, never fatal.
public enum BackgroundLoop {
    /// Runs `round` until graceful shutdown or cancellation. `round` returns how much it did; after an idle round
    /// the loop waits up to `idle` seconds or until `wakeUp` is signalled.
    public static func run(name: String, idle: TimeInterval, afterFailure: TimeInterval = 5, wakeUp: WakeUpSignal,
                    logger: Logger, round: @escaping @Sendable () async throws -> Int) async {
        await withGracefulShutdownHandler {
            var failures = 0
            while !(Task.isShuttingDownGracefully || Task.isCancelled) {
                do {
                    if try await round() == 0 { await wakeUp.wait(timeout: idle) }
                    failures = 0
                } catch {
                    // Failing again and again (the database is down): wait longer each time, up to a minute.
                    failures += 1
                    let pause = failurePause(afterFailure, failures: failures)
                    logger.error("\(name) failed: \(error). Trying again in \(Int(pause)) s.")
                    await wakeUp.wait(timeout: pause)
                }
            }
        } onGracefulShutdown: {
            wakeUp.signal()
        }
    }

    /// `afterFailure` after the first failure in a row, doubling with each further one, at most 60 s (or
    /// `afterFailure` when that is longer).
    static func failurePause(_ afterFailure: TimeInterval, failures: Int) -> TimeInterval {
        let doubled = afterFailure * pow(2, Double(min(max(failures - 1, 0), 16)))
        return min(doubled, max(60, afterFailure))
    }
}
