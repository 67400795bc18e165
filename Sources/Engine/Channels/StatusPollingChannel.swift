import Foundation
import Model

/// A channel whose statuses are fetched from the channel rather than sent back by the receiver (DPV's
/// correspondence overview, SvarUt's statuses, DPI's receipts and `/statuses`) — `internals.md` §3.4.
///
/// The engine's ``StatusPoller`` picks the pollable conversations of this channel that are due, hands them over
/// in bounded batches, and registers what comes back. A conversation is polled by one instance at a time, also
/// when several share a database.
public protocol StatusPollingChannel: Sendable {
    var serviceIdentifier: ServiceIdentifier { get }

    /// The status on which an `arkivmelding_kvittering` (OK) is made up and put in the local in-queue when
    /// `difi.move.arkivmelding.generate-arkivmelding-receipts=true` (DPV: LEVERT, DPF: LEST); nil for none.
    var arkivmeldingReceiptStatus: ReceiptStatus? { get }

    /// Asks the channel about these outgoing conversations (pollable, of this channel) and answers the statuses
    /// to register. Statuses already registered are ignored by the engine, so answering the same news twice is
    /// harmless. Throwing leaves every conversation of the batch for the next run.
    func pollStatuses(_ conversations: [Conversation]) async throws -> [StatusUpdate]
}

extension StatusPollingChannel {
    public var arkivmeldingReceiptStatus: ReceiptStatus? { nil }
}

/// News about one conversation from a channel.
public struct StatusUpdate: Sendable, Equatable {
    public var messageId: String
    public var status: ReceiptStatus
    public var description: String?
    public var rawReceipt: String?
    /// When it happened at the channel (a receipt's own time); nil records it at the time of the poll.
    public var at: Date?
    /// Stops polling the conversation after this update (DPV: purged or gone; DPI: MOTTATT).
    public var stopsPolling: Bool
    /// The channel's id of the message when the poll had to look it up again (DPF's eksternRef fallback).
    public var externalReference: String?

    public init(messageId: String, status: ReceiptStatus, description: String? = nil, rawReceipt: String? = nil,
                at: Date? = nil, stopsPolling: Bool = false, externalReference: String? = nil) {
        self.messageId = messageId
        self.status = status
        self.description = description
        self.rawReceipt = rawReceipt
        self.at = at
        self.stopsPolling = stopsPolling
        self.externalReference = externalReference
    }
}

/// When a status source is asked.
public enum PollSchedule: Sendable, Equatable {
    /// On the ticks of a Spring cron expression (`difi.move.nextmove.statusPollingCron`, `0 * * * * *` by
    /// default); each conversation is due by the upstream's linear back-off — every tick while it is young, up to
    /// once an hour at 30 days since its last update.
    case cron(CronSchedule)
    /// Every conversation of the channel on each run, with this pause between runs (`difi.move.dpv.pollingrate`).
    case every(TimeInterval)
}
