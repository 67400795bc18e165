import AsyncHTTPClient
import Foundation
import Logging
import Sandbox
import Testing

/// Runs the independent tools the tests cross-check against (openssl). A missing tool fails the test.
enum Tool {
    struct Failure: Error, CustomStringConvertible { var description: String }

    @discardableResult
    static func run(_ name: String, _ arguments: [String]) throws -> Data {
        let candidates = ["/usr/bin/\(name)", "/usr/local/bin/\(name)", "/bin/\(name)"]
        guard let path = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw Failure(description: "'\(name)' is not installed; the tests cross-check against it")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "\(name) \(arguments.joined(separator: " ")) failed: \(String(decoding: errData, as: UTF8.self))")
        }
        return outData
    }
}

/// A temporary folder, removed by `remove()`.
struct Scratch {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("dpo-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    func file(_ name: String) -> URL { url.appendingPathComponent(name) }
    func remove() { try? FileManager.default.removeItem(at: url) }
}

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

import _CryptoExtras

/// RSA keys made once per test process and reused by every sandbox the tests start (key generation is slow in
/// debug builds). Each purpose has its own key, so the CA, the organisations and the signers still differ.
enum TestKeys {
    private static let pool = Mutex<[String: _RSA.Signing.PrivateKey]>([:])

    @Sendable static func key(_ purpose: String, _ bits: Int) throws -> _RSA.Signing.PrivateKey {
        if let key = pool.withLock({ $0["\(purpose)-\(bits)"] }) { return key }
        let key = try _RSA.Signing.PrivateKey(keySize: .init(bitCount: bits))
        return pool.withLock { $0["\(purpose)-\(bits)", default: key] }
    }
}
