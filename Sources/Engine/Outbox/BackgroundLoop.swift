import Foundation
import Logging
import ServiceLifecycle

/// The loop every background job runs: do a round, then pause — shorter when woken — until the service is told
/// to stop. A failed round is logged and retried after a pause, never fatal.
public enum BackgroundLoop {
    /// Runs `round` until graceful shutdown or cancellation. `round` returns how much it did; after an idle round
    /// the loop waits up to `idle` seconds or until `wakeUp` is signalled.
    public static func run(name: String, idle: TimeInterval, afterFailure: TimeInterval = 5, wakeUp: WakeUpSignal,
                    logger: Logger, round: @escaping @Sendable () async throws -> Int) async {
        await withGracefulShutdownHandler {
            while !(Task.isShuttingDownGracefully || Task.isCancelled) {
                do {
                    if try await round() == 0 { await wakeUp.wait(timeout: idle) }
                } catch {
                    logger.error("\(name) failed: \(error). Trying again in \(Int(afterFailure)) s.")
                    await wakeUp.wait(timeout: afterFailure)
                }
            }
        } onGracefulShutdown: {
            wakeUp.signal()
        }
    }
}
