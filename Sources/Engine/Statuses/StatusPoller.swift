import Foundation
import Logging
import Model
import ServiceLifecycle
import Storage

/// Asks the channels that fetch statuses (DPV, DPF, DPI) about their pollable outgoing conversations, on each
/// channel's schedule, and registers the news (`internals.md` §3.4).
///
/// A run claims the conversations that are due in bounded batches, leased to this poller so that instances sharing a
/// database never ask about one conversation at the same time, hands each batch to the channel, registers the
/// answers in one transaction and sets when each conversation is next due. A channel that fails leaves its batch
/// for the next run.
public final class StatusPoller: Service, Sendable {
    let store: any MessageStore
    let registrar: StatusRegistrar
    let incoming: IncomingMessageService
    let sources: [ScheduledStatusSource]
    let settings: EngineSettings
    let time: any TimeSource
    let logger: Logger
    let owner: String

    public init(store: any MessageStore, registrar: StatusRegistrar, incoming: IncomingMessageService,
                sources: [ScheduledStatusSource], settings: EngineSettings, time: any TimeSource, logger: Logger,
                owner: String = "status-poller-\(UUID().uuidString.prefix(8))") {
        self.store = store
        self.registrar = registrar
        self.incoming = incoming
        self.sources = sources
        self.settings = settings
        self.time = time
        self.logger = logger
        self.owner = owner
    }

    public func run() async throws {
        await withTaskGroup(of: Void.self) { group in
            for source in sources {
                group.addTask { await self.loop(source) }
            }
        }
    }

    private func loop(_ scheduled: ScheduledStatusSource) async {
        let name = "\(scheduled.source.serviceIdentifier.rawValue) status polling"
        switch scheduled.schedule {
        case .every(let interval):
            await BackgroundLoop.run(name: name, idle: interval, wakeUp: WakeUpSignal(), logger: logger) {
                _ = try await self.runOnce(scheduled)
                return 0
            }
        case .cron(let cron):
            let wakeUp = WakeUpSignal()
            await withGracefulShutdownHandler {
                while !(Task.isShuttingDownGracefully || Task.isCancelled) {
                    guard let tick = cron.next(after: time.now) else {
                        logger.error("\(name): the cron expression '\(cron.expression)' never fires; polling is off.")
                        return
                    }
                    await wakeUp.wait(timeout: max(tick.timeIntervalSince(time.now), 0))
                    if Task.isShuttingDownGracefully || Task.isCancelled { return }
                    do {
                        _ = try await runOnce(scheduled)
                    } catch {
                        logger.error("\(name) failed: \(error). Trying again at the next tick.")
                    }
                }
            } onGracefulShutdown: {
                wakeUp.signal()
            }
        }
    }

    /// One run for one channel: every due conversation, batch by batch, up to `conversationsPerRun`. Answers how
    /// many conversations were asked about.
    @discardableResult
    public func runOnce(_ scheduled: ScheduledStatusSource) async throws -> Int {
        guard settings.statusPolling.enabled else { return 0 }
        let runStart = time.now
        let service = scheduled.source.serviceIdentifier
        var asked = 0
        while asked < settings.statusPolling.conversationsPerRun {
            let limit = min(settings.statusPolling.batchSize, settings.statusPolling.conversationsPerRun - asked)
            let leaseUntil = runStart.addingTimeInterval(settings.statusPolling.leaseDuration)
            let owner = self.owner
            // Due as of the start of the run: a conversation released during this run is never claimed twice in it.
            let batch = try await store.write { tx in
                try tx.claimPollableConversations(service: service, now: runStart, limit: limit,
                                                  leaseUntil: leaseUntil, owner: owner)
            }
            if batch.isEmpty { break }
            asked += batch.count
            try await poll(batch, scheduled: scheduled, runStart: runStart)
        }
        return asked
    }

    private func poll(_ batch: [Conversation], scheduled: ScheduledStatusSource, runStart: Date) async throws {
        let source = scheduled.source
        let updates: [StatusUpdate]
        do {
            updates = try await EngineMetrics.timedChannelCall(channel: source.serviceIdentifier.rawValue,
                                                               operation: "pollStatuses") {
                try await source.pollStatuses(batch)
            }
            EngineMetrics.pollerRun(channel: "\(source.serviceIdentifier.rawValue) statuses", outcome: "success")
        } catch {
            EngineMetrics.pollerRun(channel: "\(source.serviceIdentifier.rawValue) statuses", outcome: "failure")
            logger.warning("Asking \(source.serviceIdentifier.rawValue) about \(batch.count) conversation(s) failed: \(error). They are asked again at the next run.")
            try await release(batch, schedule: scheduled.schedule, runStart: runStart)
            return
        }
        let receipts = try await register(updates, batch: batch, source: source, schedule: scheduled.schedule,
                                          runStart: runStart)
        for receipt in receipts {
            _ = try await incoming.receive(receipt, via: source.serviceIdentifier,
                                           container: Optional<AsyncThrowingStream<[UInt8], any Error>>.none)
        }
    }

    /// Registers the answers and releases the batch in one transaction; answers the made-up arkivmelding receipts
    /// to put in the in-queue.
    private func register(_ updates: [StatusUpdate], batch: [Conversation], source: any StatusPollingChannel,
                          schedule: PollSchedule, runStart: Date) async throws -> [StandardBusinessDocument] {
        let now = time.now
        let (owner, registrar, settings) = (self.owner, self.registrar, self.settings)
        let byMessageId = Dictionary(batch.map { ($0.messageId, $0) }, uniquingKeysWith: { first, _ in first })
        return try await store.write { tx -> [StandardBusinessDocument] in
            var receipts: [StandardBusinessDocument] = []
            for update in updates {
                guard byMessageId[update.messageId] != nil,
                      var conversation = try tx.lockConversation(messageId: update.messageId, direction: .OUTGOING)
                else { continue }
                var changed = false
                if let reference = update.externalReference, reference != conversation.externalSystemReference {
                    conversation.externalSystemReference = reference
                    changed = true
                }
                if update.stopsPolling, conversation.pollable {
                    conversation.pollable = false
                    changed = true
                }
                // A status registered writes the conversation's fields with it; one already there does not.
                let registered = try registrar.register(update.status, onLocked: &conversation, description: update.description,
                                                        rawReceipt: update.rawReceipt, at: update.at ?? now, in: tx)
                if registered == nil, changed { try tx.updateConversation(conversation) }
                if registered != nil, update.status == source.arkivmeldingReceiptStatus,
                   settings.generateArkivmeldingReceipts,
                   conversation.documentIdentifier == settings.arkivmeldingDocumentType {
                    receipts.append(.arkivmeldingReceipt(
                        for: conversation, messageId: UUID().uuidString.lowercased(),
                        receiptProcess: settings.arkivmeldingReceiptProcess,
                        receiptDocumentType: settings.arkivmeldingReceiptDocumentType, now: now))
                }
            }
            for conversation in batch {
                try tx.releasePolledConversation(id: conversation.id, owner: owner,
                                                 nextPollAt: Self.nextPoll(of: conversation, schedule: schedule,
                                                                           runStart: runStart, settings: settings))
            }
            return receipts
        }
    }

    private func release(_ batch: [Conversation], schedule: PollSchedule, runStart: Date) async throws {
        let (owner, settings) = (self.owner, self.settings)
        try await store.write { tx in
            for conversation in batch {
                try tx.releasePolledConversation(id: conversation.id, owner: owner,
                                                 nextPollAt: Self.nextPoll(of: conversation, schedule: schedule,
                                                                           runStart: runStart, settings: settings))
            }
        }
    }

    /// When a conversation asked about in the run that started at `runStart` is due again: at the next run for a
    /// fixed rate; by the linear back-off on its age for a cron schedule (the upstream's `LinearInterpolationPolling`).
    static func nextPoll(of conversation: Conversation, schedule: PollSchedule, runStart: Date,
                         settings: EngineSettings) -> Date {
        switch schedule {
        case .every(let interval):
            return runStart.addingTimeInterval(interval)
        case .cron:
            let age = runStart.timeIntervalSince(conversation.lastUpdate)
            return runStart.addingTimeInterval(settings.statusPolling.backoffInterval(age: age))
        }
    }
}
