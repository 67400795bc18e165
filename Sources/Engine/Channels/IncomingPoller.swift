import Foundation
import Logging
import ServiceLifecycle

/// Runs an ``IncomingChannel``'s rounds: again at once while rounds find messages, then every `interval`
/// seconds; a failed round is logged and retried after a growing pause.
public final class IncomingPoller: Service, Sendable {
    let channel: any IncomingChannel
    let incoming: IncomingMessageService
    let interval: TimeInterval
    let logger: Logger
    let wakeUp = WakeUpSignal()

    public init(channel: any IncomingChannel, incoming: IncomingMessageService, interval: TimeInterval, logger: Logger) {
        self.channel = channel
        self.incoming = incoming
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        await BackgroundLoop.run(name: "\(channel.name) polling", idle: interval, wakeUp: wakeUp, logger: logger) {
            try await self.runOnce()
        }
    }

    /// One round; answers how many messages it handled.
    @discardableResult
    public func runOnce() async throws -> Int {
        do {
            let handled = try await channel.receiveOnce(into: incoming)
            EngineMetrics.pollerRun(channel: channel.name, outcome: "success")
            return handled
        } catch {
            EngineMetrics.pollerRun(channel: channel.name, outcome: "failure")
            throw error
        }
    }
}
