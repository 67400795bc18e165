import AsyncHTTPClient
import Foundation
import Synchronization
import NIOCore

/// The built `integrasjonspunkt` binary, run as a separate process in its own working folder.
final class IntegrationPointProcess: @unchecked Sendable {
    let folder: URL
    let port: Int
    private(set) var process: Process?
    let output: URL

    static var binary: URL {
        // `IP_BINARY` names another build to test, e.g. the release binary:
        // `IP_BINARY=.build/release/integrasjonspunkt swift test --skip-build --filter EndToEndTests`.
        if let path = ProcessInfo.processInfo.environment["IP_BINARY"], !path.isEmpty {
            return URL(fileURLWithPath: path).standardizedFileURL
        }
        // Built together with the tests: beside the test bundle, whatever the scratch path (--scratch-path).
        let testRunner = URL(fileURLWithPath: CommandLine.arguments.first ?? "").standardizedFileURL
        for folder in [testRunner.deletingLastPathComponent(), Bundle.main.bundleURL,
                       Bundle.main.bundleURL.deletingLastPathComponent()] {
            let beside = folder.appendingPathComponent("integrasjonspunkt")
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: beside.path, isDirectory: &isFolder), !isFolder.boolValue,
               FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        }
        // Tests/EndToEndTests/Support/<this file> → package root → .build/debug/integrasjonspunkt
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let debug = root.appendingPathComponent(".build/debug/integrasjonspunkt")
        if FileManager.default.fileExists(atPath: debug.path) { return debug }
        return root.appendingPathComponent(".build/release/integrasjonspunkt")
    }

    init(folder: URL, port: Int) {
        self.folder = folder
        self.port = port
        self.output = folder.appendingPathComponent("process-output.log")
    }

    /// Runs the binary to completion with `arguments` and returns its exit code and what it printed.
    static func run(_ arguments: [String], in folder: URL, environment: [String: String] = [:]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = folder
        process.environment = cleanEnvironment(environment)
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Starts the binary in the background with `arguments`; output goes to `process-output.log`.
    /// `launcher` runs the binary through another command (e.g. `setpriv … --` to drop privileges).
    func start(_ arguments: [String] = [], launcher: [String] = []) throws {
        let process = Process()
        if let command = launcher.first {
            process.executableURL = URL(fileURLWithPath: command)
            process.arguments = Array(launcher.dropFirst()) + [Self.binary.path] + arguments
        } else {
            process.executableURL = Self.binary
            process.arguments = arguments
        }
        process.currentDirectoryURL = folder
        process.environment = Self.cleanEnvironment([:])
        FileManager.default.createFile(atPath: output.path, contents: nil)
        let handle = try FileHandle(forWritingTo: output)
        handle.seekToEndOfFile()
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        self.process = process
    }

    /// Waits until `/manage/health` answers 200, or fails with the process output.
    /// `healthStatuses`: the `/manage/health` answers that count as ready (200; also 503 when a test makes a
    /// component DOWN on purpose).
    func waitUntilReady(timeout: TimeInterval = 30, healthStatuses: Set<Int> = [200]) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let process, !process.isRunning {
                throw E2EError("the integration point exited with \(process.terminationStatus):\n\(log)")
            }
            if let status = try? await HTTP.get("http://127.0.0.1:\(port)/manage/health").status,
               healthStatuses.contains(status) { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw E2EError("the integration point was not ready within \(timeout) s:\n\(log)")
    }

    func kill(signal: Int32) {
        guard let process, process.isRunning else { return }
        Foundation.kill(process.processIdentifier, signal)
    }

    func waitForExit(timeout: TimeInterval = 20) async throws -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        while let process, process.isRunning {
            if Date() > deadline { throw E2EError("the process did not exit within \(timeout) s") }
            try await Task.sleep(for: .milliseconds(50))
        }
        return process?.terminationStatus ?? -1
    }

    var log: String { (try? String(contentsOf: output, encoding: .utf8)) ?? "" }

    deinit { kill(signal: SIGKILL) }

    /// The environment without variables that would configure the integration point from outside the test.
    static func cleanEnvironment(_ extra: [String: String]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment.filter { key, _ in
            let upper = key.uppercased()
            return !(upper.hasPrefix("DIFI") || upper.hasPrefix("SERVER") || upper.hasPrefix("SPRING") || upper.hasPrefix("LOGGING"))
        }
        for (key, value) in extra { environment[key] = value }
        return environment
    }

    /// A free TCP port on loopback for an integration point, below the kernel's ephemeral range (32768 up).
    ///
    /// A port the kernel handed out for `bind(0)` is free only until something else gets it: the source port of an
    /// outgoing connection, or a sandbox server started on port 0. Ports taken from below that range, each handed
    /// out once per test process, stay free while an integration point starts, stops and restarts on them.
    static func freePort() throws -> Int {
        for _ in 0..<2000 {
            let port = nextPort.withLock { next -> Int in
                defer { next = next >= 32_000 ? 20_000 : next + 1 }
                return next
            }
            if canBind(port) { return port }
        }
        throw E2EError("could not find a free port between 20000 and 32000")
    }

    private static let nextPort = Mutex(20_000 + Int.random(in: 0..<10_000))

    private static func canBind(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let length = socklen_t(MemoryLayout<sockaddr_in>.size)
        return withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 }
        }
    }
}

struct E2EError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Minimal HTTP calls for the end-to-end tests.
enum HTTP {
    struct Reply {
        var status: Int
        var body: Data
        var headers: [(String, String)]
    }

    static func get(_ url: String, user: String? = nil, password: String? = nil) async throws -> Reply {
        try await send(HTTPClientRequest(url: url), user: user, password: password)
    }

    static func send(_ request: HTTPClientRequest, user: String? = nil, password: String? = nil) async throws -> Reply {
        var request = request
        if let user, let password {
            request.headers.add(name: "Authorization", value: "Basic " + Data("\(user):\(password)".utf8).base64EncodedString())
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 64 << 20)
        return Reply(status: Int(response.status.code), body: Data(body.readableBytesView),
                     headers: response.headers.map { ($0.name, $0.value) })
    }
}
