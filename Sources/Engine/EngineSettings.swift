import Foundation
import Model

/// The part of the configuration the engine acts on, in the engine's own terms.
///
/// The executable builds it from the typed configuration; tests build it directly.
public struct EngineSettings: Sendable {
    /// Own organisation number (9 digits).
    public var orgNumber: String
    /// Default time to live per channel, in hours (`difi.move.<channel>.default-ttl-hours`).
    public var defaultTtlHours: [ServiceIdentifier: Double]
    public var fallbackTtlHours: Double
    /// How long a peeked incoming message stays locked.
    public var lockTimeout: TimeInterval
    /// Channels whose receiving side sends MOTTATT/LEVERT status receipts back (`difi.move.nextmove.status-services`).
    public var statusServices: Set<ServiceIdentifier>
    /// Channels whose statuses go to the `/api/statuses/peek` queue (`difi.move.feature.statusQueueIncludes`).
    public var statusQueueIncludes: Set<ServiceIdentifier>
    /// Enabled channels (`difi.move.feature.enableDPx`).
    public var enabledServices: Set<ServiceIdentifier>
    /// Upload limit per channel, in bytes.
    public var uploadSizeLimits: [ServiceIdentifier: Int64]
    public var retry: RetrySchedule
    /// How many outbox jobs run at once (`difi.move.queue.concurrency`).
    public var concurrency: Int
    /// How long a claimed outbox job or webhook delivery is leased to this instance. A running job renews its
    /// lease every third of this, so a process that dies releases its jobs within this time.
    public var leaseDuration: TimeInterval
    /// Pause between expiry sweeps (`difi.move.nextmove.ttlPollingrate`).
    public var expiryInterval: TimeInterval
    /// The longest the outbox worker sleeps when idle.
    public var outboxIdleInterval: TimeInterval
    /// Processes used for status receipts (`difi.move.arkivmelding.receipt-process` and siblings).
    public var arkivmeldingReceiptProcess: String
    public var einnsynReceiptProcess: String
    public var avtaltReceiptProcess: String
    public var statusDocumentType: String
    /// Webhook pushes: per-request timeout and how long to keep retrying.
    public var webhookTimeout: TimeInterval
    public var webhookGiveUpAfter: TimeInterval
    /// Whether person numbers with synthetic check digits are allowed.
    public var allowSyntheticIdentifiers: Bool
    /// How long finished conversations and their statuses are kept (`difi.move.nextmove.status-retention-days`).
    public var statusRetention: TimeInterval
    /// Pause between housekeeping sweeps.
    public var housekeepingInterval: TimeInterval
    /// Whether incoming arkivmelding messages are pushed to the archive system by BEST/EDU
    /// (`difi.move.noarkSystem.endpointURL` set) instead of waiting on `/api/messages/in`.
    public var deliversToArchiveSystem: Bool = false
    /// Status polling of the channels that fetch statuses (`difi.move.feature.enableReceipts`).
    public var statusPolling = StatusPollingSettings()
    /// `difi.move.arkivmelding.generate-arkivmelding-receipts`: make up an `arkivmelding_kvittering` when a DPV
    /// message is published or a DPF message read.
    public var generateArkivmeldingReceipts = false
    public var arkivmeldingDocumentType = "urn:no:difi:arkivmelding:xsd::arkivmelding"
    public var arkivmeldingReceiptDocumentType = "urn:no:difi:arkivmelding:xsd::arkivmelding_kvittering"

    public init(orgNumber: String) {
        self.orgNumber = orgNumber
        defaultTtlHours = [:]
        fallbackTtlHours = 24
        lockTimeout = 5 * 60
        statusServices = [.DPO, .DPE]
        statusQueueIncludes = []
        enabledServices = []
        uploadSizeLimits = [
            .DPO: 1 << 30, .DPV: 250 << 20, .DPE: 2 << 20, .DPF: 1 << 30, .DPI: 50 << 20, .DPH: 18 << 20,
        ]
        retry = RetrySchedule()
        concurrency = 10
        leaseDuration = 30
        expiryInterval = 30
        outboxIdleInterval = 5
        arkivmeldingReceiptProcess = "urn:no:difi:profile:arkivmelding:response:ver1.0"
        einnsynReceiptProcess = "urn:no:difi:profile:einnsyn:response:ver1.0"
        avtaltReceiptProcess = "urn:no:difi:profile:avtalt:response:ver1.0"
        statusDocumentType = "urn:no:difi:eformidling:xsd::status"
        webhookTimeout = 10
        webhookGiveUpAfter = 24 * 3600
        allowSyntheticIdentifiers = false
        statusRetention = 180 * 86_400
        housekeepingInterval = 3600
    }

    public func ttlHours(for service: ServiceIdentifier) -> Double {
        defaultTtlHours[service] ?? fallbackTtlHours
    }
}

/// How the status poller works through the pollable conversations (`difi.move.nextmove.statusPolling*`).
public struct StatusPollingSettings: Sendable {
    /// `difi.move.feature.enableReceipts`: polling runs at all.
    public var enabled = true
    /// The most conversations one run of one channel asks about (`statusPollingPageSize`, 2000).
    public var conversationsPerRun = 2000
    /// How many conversations go to the channel at once.
    public var batchSize = 100
    /// The linear back-off of cron-scheduled polling: a conversation is due every `minimumInterval` while young,
    /// growing to `maximumInterval` at `backoffThreshold` since its last update
    /// (`statusPollingBackoffMaxIntervalMinutes`, `statusPollingBackoffThresholdDays`).
    public var minimumInterval: TimeInterval = 60
    public var maximumInterval: TimeInterval = 3600
    public var backoffThreshold: TimeInterval = 30 * 86_400
    /// How long a poller holds the conversations it is asking about; another instance takes them over after that.
    public var leaseDuration: TimeInterval = 300

    public init() {}

    /// The pause before a conversation last updated `age` ago is due again under the cron schedule.
    public func backoffInterval(age: TimeInterval) -> TimeInterval {
        let share = min(max(age / backoffThreshold, 0), 1)
        return minimumInterval + (maximumInterval - minimumInterval) * share
    }
}
