import Foundation

/// When to try again after a failed delivery: `initialDelay`, then ×`multiplier` per attempt, capped at `maxDelay`.
///
/// The defaults reproduce the upstream's ActiveMQ redelivery policy (20 s, 1 min, 3 min, 9 min, 27 min, then hourly)
/// and its `5 + difi.move.queue.maximum-retry-hours` attempts. The time to live usually ends a message first.
public struct RetrySchedule: Sendable, Equatable {
    public var initialDelay: TimeInterval
    public var multiplier: Double
    public var maxDelay: TimeInterval
    public var maxAttempts: Int

    public init(initialDelay: TimeInterval = 20, multiplier: Double = 3, maxDelay: TimeInterval = 3600,
                maxAttempts: Int = 105) {
        self.initialDelay = initialDelay
        self.multiplier = multiplier
        self.maxDelay = maxDelay
        self.maxAttempts = maxAttempts
    }

    /// The pause after the `attempt`-th failed attempt (1-based).
    public func delay(afterAttempt attempt: Int) -> TimeInterval {
        let exponent = Double(max(attempt - 1, 0))
        let raw = initialDelay * pow(multiplier, exponent)
        return min(raw.isFinite ? raw : maxDelay, maxDelay)
    }

    /// Whether another attempt is allowed after `attempts` failures.
    public func allowsRetry(after attempts: Int) -> Bool { attempts < maxAttempts }
}
