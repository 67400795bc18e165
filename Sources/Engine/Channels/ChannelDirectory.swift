import Foundation
import Model

/// The enabled channels: their sending sides by service identifier, their status sources and their incoming
/// sides. The engine's services take what they need from here; nothing in the engine names a channel.
public struct ChannelDirectory: Sendable {
    private let senders: [ServiceIdentifier: any MessageChannel]
    /// Channels whose statuses are fetched by polling, with their schedules.
    public let statusSources: [ScheduledStatusSource]
    /// Channels that are polled for incoming messages, with their intervals.
    public let incoming: [ScheduledIncomingChannel]

    public init(_ senders: [any MessageChannel], statusSources: [ScheduledStatusSource] = [],
                incoming: [ScheduledIncomingChannel] = []) {
        var map: [ServiceIdentifier: any MessageChannel] = [:]
        for channel in senders { map[channel.serviceIdentifier] = channel }
        self.senders = map
        self.statusSources = statusSources
        self.incoming = incoming
    }

    public func channel(for service: ServiceIdentifier) -> (any MessageChannel)? { senders[service] }

    /// The service identifiers that can send.
    public var sendingServices: Set<ServiceIdentifier> { Set(senders.keys) }

    public func statusSource(for service: ServiceIdentifier) -> (any StatusPollingChannel)? {
        statusSources.first { $0.source.serviceIdentifier == service }?.source
    }
}

/// A status source and when to ask it.
public struct ScheduledStatusSource: Sendable {
    public var source: any StatusPollingChannel
    public var schedule: PollSchedule

    public init(_ source: any StatusPollingChannel, schedule: PollSchedule) {
        self.source = source
        self.schedule = schedule
    }
}

/// An incoming channel and how long to pause between rounds that found nothing.
public struct ScheduledIncomingChannel: Sendable {
    public var channel: any IncomingChannel
    public var interval: TimeInterval

    public init(_ channel: any IncomingChannel, interval: TimeInterval) {
        self.channel = channel
        self.interval = interval
    }
}
