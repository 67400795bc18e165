import Foundation
import Logging
import Model
import ServiceLifecycle
import Storage

/// Removes finished conversations and their status history once they are older than the retention
/// (`difi.move.nextmove.status-retention-days`, default 180 days), measured from their last update.
///
/// Payloads are not its business: they are removed as soon as a message is done. A conversation still waiting
/// for something (not finished) is kept however old it is, and so is one whose message is still stored.
public final class RetentionSweeper: Service, Sendable {
    let store: any MessageStore
    let settings: EngineSettings
    let time: any TimeSource
    let logger: Logger
    /// Conversations removed per transaction, so that a large backlog never holds the write lock for long.
    let batchSize: Int

    public init(store: any MessageStore, settings: EngineSettings, time: any TimeSource, logger: Logger,
                batchSize: Int = 500) {
        self.store = store
        self.settings = settings
        self.time = time
        self.logger = logger
        self.batchSize = max(batchSize, 1)
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                try await runOnce()
            } catch {
                logger.error("Housekeeping failed: \(error). Trying again at the next sweep.")
            }
            let pause = settings.housekeepingInterval
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .milliseconds(Int(pause * 1000))) }
        }
    }

    /// The instant before which finished conversations are removed.
    public var cutoff: Date { time.now.addingTimeInterval(-settings.statusRetention) }

    /// Removes everything past retention now, in batches; returns how many conversations it removed.
    @discardableResult
    public func runOnce() async throws -> Int {
        let cutoff = self.cutoff
        let batchSize = self.batchSize
        var total = 0
        while !Task.isCancelled {
            let removed = try await store.write { tx in
                try tx.deleteFinishedConversations(lastUpdateBefore: cutoff, limit: batchSize)
            }
            total += removed
            if removed < batchSize { break }
        }
        if total > 0 {
            logger.info("Removed \(total) finished conversations last updated before \(OsloTime.format(cutoff)) (retention \(Int(settings.statusRetention / 86_400)) days)")
        }
        return total
    }
}
