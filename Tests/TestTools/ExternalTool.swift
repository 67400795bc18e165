import Foundation

/// Runs the independent implementations the tests cross-check against (openssl, keytool, python3).
/// A missing tool is a test failure with a clear message, never a silent skip.
public enum ExternalTool {
    public struct Failure: Error, CustomStringConvertible { public var description: String }

    public static func path(_ name: String) throws -> String {
        // PATH first, as scripts/test.sh checks the same `python3`/`openssl` it finds there.
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin", "/bin"] {
            let candidate = directory + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw Failure(description: "'\(name)' is not installed; the tests cross-check against it. Install it (the CI script does: openssl, openjdk-17 keytool, python3-cryptography).")
    }

    /// Runs a tool and returns stdout; throws with stderr if it exits non-zero.
    @discardableResult
    public static func run(_ name: String, _ arguments: [String], input: Data? = nil, in directory: URL? = nil) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try path(name))
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        let out = Pipe(), err = Pipe(), inPipe = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = inPipe
        try process.run()
        if let input { inPipe.fileHandleForWriting.write(input) }
        try inPipe.fileHandleForWriting.close()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "\(name) \(arguments.joined(separator: " ")) failed (\(process.terminationStatus)): \(String(decoding: errData, as: UTF8.self))")
        }
        return outData
    }
}

/// A temporary folder removed when the value goes away.
public final class TemporaryDirectory: @unchecked Sendable {
    public let url: URL
    public init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("ip-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(at: url) }
    public func path(_ name: String) -> String { url.appendingPathComponent(name).path }
    public func file(_ name: String) -> URL { url.appendingPathComponent(name) }
    public func remove() { try? FileManager.default.removeItem(at: url) }
}

import _CryptoExtras
import Synchronization

/// RSA keys made once per test process and reused (key generation is slow in debug builds). Each purpose has its
/// own key, so a CA, organisations and signers still differ.
public enum TestKeys {
    private static let pool = Mutex<[String: _RSA.Signing.PrivateKey]>([:])

    @Sendable public static func key(_ purpose: String, _ bits: Int) throws -> _RSA.Signing.PrivateKey {
        if let key = pool.withLock({ $0["\(purpose)-\(bits)"] }) { return key }
        let key = try _RSA.Signing.PrivateKey(keySize: .init(bitCount: bits))
        return pool.withLock { $0["\(purpose)-\(bits)", default: key] }
    }
}
