import Foundation
import Logging
import ServiceLifecycle

/// The clock check of `difi.move.ntp.*`: the local clock against an NTP server, at start-up and every 30 minutes.
/// Tokens, signatures and receipts carry times that other parties check, so a clock that is off breaks exchanges.
public struct ClockCheck: Sendable {
    /// Above this offset: a warning, and at start-up a refusal to start.
    public static let warnAbove: TimeInterval = 5
    /// Above this offset while running: an error in the log.
    public static let errorAbove: TimeInterval = 9

    public let client: SNTPClient

    public init(client: SNTPClient) {
        self.client = client
    }

    public enum Outcome: Sendable, Equatable {
        case ok(offset: TimeInterval)
        case offTooFar(offset: TimeInterval)
        case failed(String)
    }

    public func measure() async -> Outcome {
        let client = self.client
        let result: Result<SNTPClient.Answer, any Error> = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: Result { try client.query() })
            }
        }
        switch result {
        case .success(let answer):
            return abs(answer.offset) > Self.warnAbove ? .offTooFar(offset: answer.offset) : .ok(offset: answer.offset)
        case .failure(let error):
            return .failed("\(error)")
        }
    }

    public static func describe(_ offset: TimeInterval) -> String {
        String(format: "%+.3f s", offset)
    }

    public var remedy: String {
        "Synchronise the server's clock with NTP (chrony or systemd-timesyncd against \(client.host)); tokens and receipts are refused when it is off."
    }

    /// At start-up: throws (refuse to start) when the clock is more than 5 s off; a failed query is only logged.
    public func startupCheck(logger: Logger) async throws {
        switch await measure() {
        case .ok(let offset):
            logger.info("Clock checked against \(client.host): offset \(Self.describe(offset)).")
        case .offTooFar(let offset):
            logger.warning("The clock is \(Self.describe(offset)) off \(client.host). \(remedy)")
            throw ClockError(description: "The clock is \(Self.describe(offset)) off the NTP server \(client.host) (more than \(Int(Self.warnAbove)) s); the integration point does not start. \(remedy) To start anyway, set difi.move.ntp.disable=true.")
        case .failed(let reason):
            logger.warning("Could not check the clock against \(client.host): \(reason). Check difi.move.ntp.host and that UDP port 123 is open.")
        }
    }

    /// While running: logs a warning above 5 s and an error above 9 s; a failed query is logged.
    public func periodicCheck(logger: Logger) async {
        switch await measure() {
        case .ok(let offset):
            logger.debug("Clock offset against \(client.host): \(Self.describe(offset)).")
        case .offTooFar(let offset):
            if abs(offset) > Self.errorAbove {
                logger.error("The clock is \(Self.describe(offset)) off \(client.host). \(remedy)")
            } else {
                logger.warning("The clock is \(Self.describe(offset)) off \(client.host). \(remedy)")
            }
        case .failed(let reason):
            logger.warning("Could not check the clock against \(client.host): \(reason).")
        }
    }
}

public struct ClockError: Error, CustomStringConvertible, Sendable {
    public var description: String
}

/// Runs ``ClockCheck/periodicCheck(logger:)`` every `interval` (30 minutes) until shutdown.
public struct ClockWatch: Service {
    let check: ClockCheck
    let interval: Duration
    let logger: Logger

    public init(check: ClockCheck, interval: Duration = .seconds(30 * 60), logger: Logger) {
        self.check = check
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            if Task.isShuttingDownGracefully || Task.isCancelled { break }
            await check.periodicCheck(logger: logger)
        }
    }
}
