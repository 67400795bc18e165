import AsyncHTTPClient
import Foundation
import Logging
import Sandbox
import Testing
import TestTools

typealias Tool = ExternalTool
typealias Scratch = TemporaryDirectory

/// A clock tests move by hand.
final class TestClock: Sendable {
    private let offset = Mutex<TimeInterval>(0)
    func advance(_ seconds: TimeInterval) { offset.withLock { $0 += seconds } }
    var now: @Sendable () -> Date { { Date().addingTimeInterval(self.offset.withLock { $0 }) } }
}

import Synchronization

/// Starts a fresh sandbox network (2048-bit keys, for speed) in a scratch folder, runs `body`, and stops it.
func withSandbox<T>(clock: TestClock = TestClock(), _ body: (SandboxNetwork, Scratch) async throws -> T) async throws -> T {
    let scratch = try Scratch()
    var logger = Logger(label: "sandbox-test")
    logger.logLevel = .warning
    let network = try await SandboxNetwork.start(
        .init(directory: scratch.url.appendingPathComponent("sandbox"), certificateKeyBits: 2048, now: clock.now, makeKey: TestKeys.key), logger: logger)
    do {
        let result = try await body(network, scratch)
        await network.stop()
        scratch.remove()
        return result
    } catch {
        await network.stop()
        scratch.remove()
        throw error
    }
}

let sender = "910077473"
let receiver = "910075918"
let arkivmeldingProcess = "urn:no:difi:profile:arkivmelding:administrasjon:ver1.0"
let arkivmeldingType = "urn:no:difi:arkivmelding:xsd::arkivmelding"

