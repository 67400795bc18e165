import Foundation
import Metrics

/// The engine's metrics, through swift-metrics: whatever backend the executable bootstraps (Prometheus) sees them;
/// without one they cost nothing. Metric handles are made on use, so they follow a backend bootstrapped after the
/// engine was built. Names are Prometheus-style (`_total` for counters, base units).
public enum EngineMetrics {
    /// A status registered on a conversation: `ip_messages_total{channel,direction,status}`.
    public static func statusRegistered(channel: String, direction: String, status: String) {
        Counter(label: "ip_messages_total", dimensions: [("channel", channel), ("direction", direction), ("status", status)])
            .increment()
    }

    /// A delivery attempt that failed and was scheduled again: `ip_outbox_retries_total{kind}`.
    public static func retryScheduled(kind: String) {
        Counter(label: "ip_outbox_retries_total", dimensions: [("kind", kind)]).increment()
    }

    /// How long a channel call took: `ip_channel_call_duration_seconds{channel,operation,outcome}`.
    public static func channelCall(channel: String, operation: String, outcome: String, duration: Duration) {
        Metrics.Timer(label: "ip_channel_call_duration_seconds",
              dimensions: [("channel", channel), ("operation", operation), ("outcome", outcome)],
              preferredDisplayUnit: .seconds)
            .recordNanoseconds(Int64(duration.components.seconds) * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
    }

    /// One run of a poller: `ip_poller_runs_total{channel,outcome}`.
    public static func pollerRun(channel: String, outcome: String) {
        Counter(label: "ip_poller_runs_total", dimensions: [("channel", channel), ("outcome", outcome)]).increment()
    }

    /// One webhook push attempt: `ip_webhook_deliveries_total{outcome}` (delivered, retry, gave_up).
    public static func webhookDelivery(outcome: String) {
        Counter(label: "ip_webhook_deliveries_total", dimensions: [("outcome", outcome)]).increment()
    }

    /// Times `body` as a channel call.
    public static func timedChannelCall<T>(channel: String, operation: String,
                                           _ body: () async throws -> T) async throws -> T {
        let clock = ContinuousClock()
        let start = clock.now
        do {
            let value = try await body()
            channelCall(channel: channel, operation: operation, outcome: "success", duration: clock.now - start)
            return value
        } catch {
            channelCall(channel: channel, operation: operation, outcome: "failure", duration: clock.now - start)
            throw error
        }
    }
}
