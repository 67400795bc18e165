import Foundation

enum SandboxTool {
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
            throw Failure(description: "\(name) failed: \(String(decoding: errData, as: UTF8.self))")
        }
        return outData
    }
}

struct SandboxScratch {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("sandbox-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    func file(_ name: String) -> URL { url.appendingPathComponent(name) }
    func write(_ name: String, _ text: String) throws -> String {
        try text.write(to: file(name), atomically: true, encoding: .utf8)
        return file(name).path
    }
    func remove() { try? FileManager.default.removeItem(at: url) }
}
import Synchronization

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
