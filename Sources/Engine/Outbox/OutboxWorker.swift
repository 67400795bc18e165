import Foundation
import Logging
import Model
import ServiceLifecycle
import Storage
import Synchronization

/// Delivers due outbox jobs through their channels, with the retry schedule, until each is sent, expired or failed.
///
/// A job is leased while it runs, so several workers (threads or instances) never send the same job at once, and a
/// job leased by a process that died is taken over when the lease runs out. Every attempt checks the time to live
/// first. The job row is deleted in the same transaction that registers SENDT, so a crash between the channel call
/// and that commit means one more attempt — at-least-once towards the channel, exactly-once in our history.
public final class OutboxWorker: Service, Sendable {
    let store: any MessageStore
    let payloads: PayloadVault
    let channels: ChannelDirectory
    let registrar: StatusRegistrar
    let settings: EngineSettings
    let time: any TimeSource
    let logger: Logger
    let owner: String
    let wakeUp: WakeUpSignal
    /// Runs `deliverToArchive` jobs (BEST/EDU); nil when no archive system is configured.
    let archiveDelivery: ArchiveDelivery?

    public init(store: any MessageStore, payloads: PayloadVault, channels: ChannelDirectory,
                registrar: StatusRegistrar, settings: EngineSettings, time: any TimeSource, logger: Logger,
                wakeUp: WakeUpSignal, owner: String = "worker-\(UUID().uuidString.prefix(8))",
                archiveDelivery: ArchiveDelivery? = nil) {
        self.archiveDelivery = archiveDelivery
        self.store = store
        self.payloads = payloads
        self.channels = channels
        self.registrar = registrar
        self.settings = settings
        self.time = time
        self.logger = logger
        self.owner = owner
        self.wakeUp = wakeUp
    }

    /// Keeps up to `settings.concurrency` jobs running: claims more as soon as one finishes or a send is accepted
    /// (the wake-up signal), rather than in rounds that wait for their slowest job before claiming again.
    public func run() async throws {
        let limit = max(settings.concurrency, 1)
        let running = JobCount()
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                var failures = 0
                while !(Task.isShuttingDownGracefully || Task.isCancelled) {
                    let free = limit - running.value
                    guard free > 0 else {
                        await wakeUp.wait(timeout: settings.outboxIdleInterval)
                        continue
                    }
                    do {
                        let jobs = try await claim(limit: free)
                        failures = 0
                        for job in jobs {
                            running.add(1)
                            group.addTask {
                                await self.runKeepingLease(job)
                                running.add(-1)
                                // A full worker waits for a free slot, and the next job of this message and kind
                                // waited for this one to finish (the store claims them one at a time): claim again.
                                self.wakeUp.signal()
                            }
                        }
                        if jobs.count < free { await wakeUp.wait(timeout: settings.outboxIdleInterval) }
                    } catch {
                        failures += 1
                        let pause = BackgroundLoop.failurePause(5, failures: failures)
                        logger.error("The outbox worker failed: \(error). Trying again in \(Int(pause)) s.")
                        await wakeUp.wait(timeout: pause)
                    }
                }
            }
        } onGracefulShutdown: {
            self.wakeUp.signal()
        }
    }

    /// Leases up to `limit` jobs due now to this worker.
    private func claim(limit: Int) async throws -> [OutboxJob] {
        let now = time.now
        let owner = self.owner
        let lease = now.addingTimeInterval(settings.leaseDuration)
        return try await store.claimDueJobs(limit: limit, now: now, leaseUntil: lease, owner: owner)
    }

    /// Claims the jobs due now and runs them; returns how many it ran.
    @discardableResult
    public func runOnce() async throws -> Int {
        let jobs = try await claim(limit: max(settings.concurrency, 1))
        await withTaskGroup(of: Void.self) { group in
            for job in jobs {
                group.addTask { await self.runKeepingLease(job) }
            }
        }
        return jobs.count
    }

    /// Runs the job while renewing its lease, so a long upload keeps it and a dead process gives it up soon.
    func runKeepingLease(_ job: OutboxJob) async {
        let renewal = Task { [store, owner, settings, time, logger] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(Int(settings.leaseDuration * 1000 / 3)))
                if Task.isCancelled { return }
                let until = time.now.addingTimeInterval(settings.leaseDuration)
                let kept = (try? await store.write { tx in try tx.renewLease(jobId: job.id, owner: owner, until: until) }) ?? false
                if !kept {
                    logger.warning("Lost the lease of outbox job \(job.id); another worker may take it over.",
                                   metadata: ["messageId": "\(job.messageId)"])
                }
            }
        }
        await run(job)
        renewal.cancel()
    }

    func run(_ job: OutboxJob) async {
        do {
            switch job.kind {
            case .sendMessage: try await deliverMessage(job)
            case .sendStatus: try await deliverStatus(job)
            case .deliverToArchive:
                if let archiveDelivery {
                    await archiveDelivery.run(job)
                } else {
                    // The archive system was unconfigured since: the message waits on /api/messages/in.
                    try await store.deleteJob(id: job.id)
                }
            }
        } catch {
            logger.error("Outbox job \(job.id) failed unexpectedly: \(error)", metadata: ["messageId": "\(job.messageId)"])
            await retryOrFail(job, error: "\(error)", permanent: false)
        }
    }

    private func deliverMessage(_ job: OutboxJob) async throws {
        let messageId = job.messageId
        let loaded = try await store.read { tx in
            (try tx.outgoingWithFiles(messageId: messageId), try tx.conversation(messageId: messageId, direction: .OUTGOING))
        }
        guard let (message, storedFiles) = loaded.0 else {
            // Deleted by the client after the send was accepted: nothing left to deliver.
            try await store.deleteJob(id: job.id)
            return
        }
        if let expiry = loaded.1?.expiry, expiry <= time.now {
            try await expire(job, messageId: messageId)
            return
        }
        let files = storedFiles.sorted(by: FileOrder.deliveryOrder).map { file in
            DeliveryFile(filename: file.filename, title: file.title, mimeType: file.mimeType, size: file.size,
                         primaryDocument: file.primaryDocument, dokumentnummer: file.dokumentnummer,
                         open: { [payloads] in try payloads.open(messageId: messageId, key: file.payloadKey) })
        }
        let isStatus = SBDPeek.isStatusDocument(message.sbd)
        let delivery = OutgoingDelivery(messageId: messageId, conversationId: message.conversationId,
                                        serviceIdentifier: message.serviceIdentifier, sbd: message.sbd,
                                        isStatus: isStatus, files: files)
        guard let receipt = try await send(delivery, job: job) else { return }
        let now = time.now
        try await store.write { [registrar] tx in
            try tx.deleteOutgoing(messageId: messageId)
            try tx.deleteJob(id: job.id)
            if !isStatus {
                try Self.record(receipt, messageId: messageId, registrar: registrar, at: now, in: tx)
            }
        }
        try? payloads.delete(messageId: messageId)
        logger.info("Message sent", metadata: ["audit": "sent", "messageId": "\(messageId)", "conversationId": "\(message.conversationId)",
                                               "serviceIdentifier": "\(message.serviceIdentifier.rawValue)"])
    }

    private func deliverStatus(_ job: OutboxJob) async throws {
        guard let sbd = job.payload else {
            try await store.deleteJob(id: job.id)
            return
        }
        if job.createdAt.addingTimeInterval(settings.fallbackTtlHours * 3600) <= time.now {
            logger.warning("Status receipt for \(job.messageId) expired before it could be sent; dropped.",
                           metadata: ["messageId": "\(job.messageId)"])
            try await store.deleteJob(id: job.id)
            return
        }
        let messageId = job.messageId
        let incoming = try await store.read { tx in try tx.conversation(messageId: messageId, direction: .INCOMING) }
        let service = incoming?.serviceIdentifier ?? .DPO
        let delivery = OutgoingDelivery(messageId: messageId, conversationId: incoming?.conversationId ?? "",
                                        serviceIdentifier: service, sbd: sbd, isStatus: true, files: [])
        guard try await send(delivery, job: job) != nil else { return }
        try await store.deleteJob(id: job.id)
    }

    /// Records what the channel's receipt asks for: SENDT, the channel's reference, status polling, and the
    /// statuses that follow at once (DPF's LEVERT).
    static func record(_ receipt: SendReceipt, messageId: String, registrar: StatusRegistrar, at now: Date,
                       in tx: any StoreTransaction) throws {
        guard var conversation = try tx.lockConversation(messageId: messageId, direction: .OUTGOING) else { return }
        let changed = receipt.externalReference != nil || receipt.pollsStatus || receipt.finishes
        if let reference = receipt.externalReference { conversation.externalSystemReference = reference }
        if receipt.pollsStatus && !conversation.finished { conversation.pollable = true }
        if receipt.finishes {
            conversation.finished = true
            conversation.pollable = false
        }
        // A status registered writes the conversation's fields with it; only when SENDT is there already (a repeated
        // upload) do the changes above need a write of their own.
        if try registrar.register(.SENDT, onLocked: &conversation, at: now, in: tx) == nil, changed {
            try tx.updateConversation(conversation)
        }
        for status in receipt.followingStatuses {
            try registrar.register(status, onLocked: &conversation, at: now, in: tx)
        }
    }

    /// Calls the channel; on failure schedules the retry or fails the message. Returns the channel's receipt, or
    /// nil when the message was not delivered.
    private func send(_ delivery: OutgoingDelivery, job: OutboxJob) async throws -> SendReceipt? {
        guard let channel = channels.channel(for: delivery.serviceIdentifier) else {
            await retryOrFail(job, error: "Service \(delivery.serviceIdentifier.rawValue) is not enabled", permanent: true)
            return nil
        }
        do {
            return try await EngineMetrics.timedChannelCall(channel: delivery.serviceIdentifier.rawValue,
                                                            operation: delivery.isStatus ? "sendStatus" : "send") {
                try await channel.send(delivery)
            }
        } catch let error as ChannelError {
            if case .permanent = error {
                await retryOrFail(job, error: error.description, permanent: true)
            } else {
                await retryOrFail(job, error: error.description, permanent: false)
            }
            return nil
        } catch {
            await retryOrFail(job, error: "\(error)", permanent: false)
            return nil
        }
    }

    private func expire(_ job: OutboxJob, messageId: String) async throws {
        let now = time.now
        try await store.write { [registrar] tx in
            try registrar.register(.LEVETID_UTLOPT, messageId: messageId, direction: .OUTGOING,
                                   description: ReceiptStatus.expiredDescription, at: now, in: tx)
            try tx.keepExpiredOutgoing(messageId: messageId, at: now)
            try tx.deleteJob(id: job.id)
        }
        try? payloads.delete(messageId: messageId)
        logger.warning("Message expired before it could be sent", metadata: ["messageId": "\(messageId)"])
    }

    private func retryOrFail(_ job: OutboxJob, error: String, permanent: Bool) async {
        let attempts = job.attempts + 1
        let now = time.now
        do {
            if !permanent && settings.retry.allowsRetry(after: attempts) {
                let next = now.addingTimeInterval(settings.retry.delay(afterAttempt: attempts))
                try await store.write { tx in
                    try tx.rescheduleJob(id: job.id, attempts: attempts, nextAttemptAt: next, lastError: error)
                }
                EngineMetrics.retryScheduled(kind: job.kind.rawValue)
                logger.warning("Delivery attempt \(attempts) failed: \(error). Next attempt at \(OsloTime.format(next)).",
                               metadata: ["messageId": "\(job.messageId)"])
                return
            }
            try await fail(job, error: error, permanent: permanent, at: now)
        } catch {
            logger.error("Could not record the failed delivery of \(job.messageId): \(error)",
                         metadata: ["messageId": "\(job.messageId)"])
        }
    }

    private func fail(_ job: OutboxJob, error: String, permanent: Bool, at now: Date) async throws {
        let messageId = job.messageId
        let isMessage = job.kind == .sendMessage
        try await store.write { [registrar] tx in
            if isMessage {
                let message = try tx.outgoing(messageId: messageId)
                let description = permanent
                    ? "Failed to deliver message - check raw receipt"
                    : "Request to receiver '\(message?.receiverIdentifier ?? "")' failed delivery over \(message?.serviceIdentifier.rawValue ?? "?") - Moved to DLQ"
                try registrar.register(.FEIL, messageId: messageId, direction: .OUTGOING, description: description,
                                       rawReceipt: error, at: now, in: tx)
                try tx.deleteOutgoing(messageId: messageId)
            }
            try tx.deleteJob(id: job.id)
        }
        if isMessage { try? payloads.delete(messageId: messageId) }
        logger.error("Delivery failed for good: \(error)", metadata: ["messageId": "\(messageId)"])
    }
}

/// How many jobs the worker runs right now.
final class JobCount: Sendable {
    private let count = Mutex(0)
    var value: Int { count.withLock { $0 } }
    /// Adds `delta` and returns the new count.
    @discardableResult func add(_ delta: Int) -> Int { count.withLock { $0 += delta; return $0 } }
}

/// The order files travel in: the primary document first, then upload order.
enum FileOrder {
    static func deliveryOrder(_ a: StoredFileRecord, _ b: StoredFileRecord) -> Bool {
        if a.primaryDocument != b.primaryDocument { return a.primaryDocument }
        return a.dokumentnummer < b.dokumentnummer
    }
}
