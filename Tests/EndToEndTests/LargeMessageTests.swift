import AsyncHTTPClient
import Foundation
import NIOCore
import Testing

/// Large messages over DPO on the sandbox network: a file streamed through `PUT /api/messages/out/{id}` and one
/// through multipart, from A to B, popped at B and compared byte for byte, while each binary's peak resident memory
/// (`VmHWM`) stays within a budget above its idle size.
///
/// 100 MB in the suite; `IP_LARGE_MESSAGE_MB=1024` for the 1 GB run of BENCHMARKS.md. `IP_LARGE_MESSAGE_BUDGET_MB`
/// sets the memory budget (default 64).
@Suite("Large messages", .serialized)
struct LargeMessageTests {
    static let megabytes = Int(ProcessInfo.processInfo.environment["IP_LARGE_MESSAGE_MB"] ?? "") ?? 100
    static let budgetMegabytes = Int(ProcessInfo.processInfo.environment["IP_LARGE_MESSAGE_BUDGET_MB"] ?? "") ?? 64

    enum Mode: String, CaseIterable, Sendable { case put, multipart }

    @Test("A large file streams from A to B with bounded memory", arguments: Mode.allCases)
    func largeFile(mode: Mode) async throws {
        let size = Int64(Self.megabytes) << 20
        let pair = try await SandboxPair.start()
        let scratch = pair.folder.appendingPathComponent("large-\(mode.rawValue)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let source = scratch.appendingPathComponent("vedlegg.pdf")
        try Self.shell("head -c \(size) /dev/urandom > '\(source.path)'")
        let idleA = try Self.memory(of: pair.a)
        let idleB = try Self.memory(of: pair.b)

        let messageId = UUID().uuidString.lowercased()
        let started = Date()
        switch mode {
        case .put:
            try pair.expect(await pair.call(pair.a, "POST", "/api/messages/out", body: SandboxPair.sbd(messageId: messageId),
                                            headers: ["Content-Type": "application/json"]), "create")
            try pair.expect(await pair.call(pair.a, "PUT", "/api/messages/out/\(messageId)",
                                            body: Data(SandboxPair.arkivmelding.utf8),
                                            headers: ["Content-Type": "application/xml",
                                                      "Content-Disposition": "attachment; name=Arkivmelding; filename=arkivmelding.xml"]),
                            "upload arkivmelding.xml")
            try pair.expect(await Self.stream(pair, "PUT", "/api/messages/out/\(messageId)",
                                              headers: ["Content-Type": "application/pdf",
                                                        "Content-Disposition": "attachment; name=Vedlegg; filename=vedlegg.pdf"],
                                              prefix: Data(), file: source, suffix: Data()), "upload vedlegg.pdf")
            try pair.expect(await pair.call(pair.a, "POST", "/api/messages/out/\(messageId)"), "send")
        case .multipart:
            let boundary = "large-boundary-\(UUID().uuidString)"
            var prefix = Data()
            func part(_ headers: String, _ bytes: Data?) {
                prefix.append(Data("--\(boundary)\r\n\(headers)\r\n\r\n".utf8))
                if let bytes {
                    prefix.append(bytes)
                    prefix.append(Data("\r\n".utf8))
                }
            }
            part("Content-Disposition: form-data; name=\"sbd\"\r\nContent-Type: application/json", SandboxPair.sbd(messageId: messageId))
            part("Content-Disposition: form-data; name=\"Arkivmelding\"; filename=\"arkivmelding.xml\"\r\nContent-Type: application/xml",
                 Data(SandboxPair.arkivmelding.utf8))
            part("Content-Disposition: form-data; name=\"Vedlegg\"; filename=\"vedlegg.pdf\"\r\nContent-Type: application/pdf", nil)
            try pair.expect(await Self.stream(pair, "POST", "/api/messages/out/multipart",
                                              headers: ["Content-Type": "multipart/form-data; boundary=\(boundary)"],
                                              prefix: prefix, file: source,
                                              suffix: Data("\r\n--\(boundary)--\r\n".utf8)), "multipart")
        }
        let accepted = Date()

        let container = scratch.appendingPathComponent("popped.zip")
        try await Self.takeAtB(pair, messageId: messageId, into: container, timeout: Double(Self.megabytes) * 3 + 120)
        let popped = Date()
        let statuses = try await pair.statusesAtA(messageId, timeout: 60)
        #expect(statuses.contains("LEVERT"), "statuses at A: \(statuses)")

        // The file in the container is the file that was sent.
        let sent = try Self.shell("sha256sum < '\(source.path)' | cut -c1-64")
        let received = try Self.shell("unzip -p '\(container.path)' vedlegg.pdf | sha256sum | cut -c1-64")
        #expect(sent == received, "the popped vedlegg.pdf differs from the one sent")

        let peakA = try Self.memory(of: pair.a)
        let peakB = try Self.memory(of: pair.b)
        let growthA = (peakA.hwm - idleA.hwm) >> 20
        let growthB = (peakB.hwm - idleB.hwm) >> 20
        let figures = """
        large message \(mode.rawValue) \(Self.megabytes) MB: upload+accept \(String(format: "%.1f", accepted.timeIntervalSince(started))) s, \
        delivered+popped \(String(format: "%.1f", popped.timeIntervalSince(accepted))) s; \
        A idle \(idleA.hwm >> 20) MB peak \(peakA.hwm >> 20) MB (+\(growthA) MB); \
        B idle \(idleB.hwm >> 20) MB peak \(peakB.hwm >> 20) MB (+\(growthB) MB); budget +\(Self.budgetMegabytes) MB
        """
        print(figures)
        if let path = ProcessInfo.processInfo.environment["IP_LARGE_MESSAGE_REPORT"] {
            try (figures + "\n").appendLine(toPath: path)
        }
        #expect(growthA < Self.budgetMegabytes, "A's peak resident memory grew by \(growthA) MB: \(figures)")
        #expect(growthB < Self.budgetMegabytes, "B's peak resident memory grew by \(growthB) MB: \(figures)")
        try? FileManager.default.removeItem(at: scratch)
        await pair.stop()
    }

    // MARK: - Support

    struct Memory { var hwm: Int64; var rss: Int64 }

    /// `VmHWM` and `VmRSS` of the node's process, in bytes.
    static func memory(of node: IntegrationPointProcess) throws -> Memory {
        let pid = try #require(node.process?.processIdentifier)
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        func value(_ key: String) -> Int64 {
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(key + ":") }) else { return 0 }
            return (Int64(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? 0) * 1024
        }
        return Memory(hwm: value("VmHWM"), rss: value("VmRSS"))
    }

    /// Sends `prefix`, the file and `suffix` as one streamed request body of known length.
    static func stream(_ pair: SandboxPair, _ method: String, _ path: String, headers: [String: String],
                       prefix: Data, file: URL, suffix: Data) async throws -> HTTP.Reply {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(pair.a.port)\(path)")
        request.method = .init(rawValue: method)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let (user, password) = pair.credentials(pair.a)
        request.headers.add(name: "Authorization", value: "Basic " + Data("\(user):\(password)".utf8).base64EncodedString())
        let fileSize = try #require(try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? NSNumber).int64Value
        let length = Int64(prefix.count) + fileSize + Int64(suffix.count)
        request.body = .stream(FileBody(prefix: prefix, file: file, suffix: suffix), length: .known(length))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(1800))
        let body = try await response.body.collect(upTo: 1 << 20)
        return HTTP.Reply(status: Int(response.status.code), body: Data(body.readableBytesView), headers: [])
    }

    /// B's archive system for one message: peek until it is there, pop it to `file` streaming, delete it.
    static func takeAtB(_ pair: SandboxPair, messageId: String, into file: URL, timeout: TimeInterval) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let peek = try await pair.call(pair.b, "GET", "/api/messages/in/peek?messageId=\(messageId)")
            if peek.status == 200 { break }
            guard Date() < deadline else { throw E2EError("B did not receive \(messageId) within \(timeout) s") }
            try await Task.sleep(for: .milliseconds(500))
        }
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(pair.b.port)/api/messages/in/pop/\(messageId)")
        let (user, password) = pair.credentials(pair.b)
        request.headers.add(name: "Authorization", value: "Basic " + Data("\(user):\(password)".utf8).base64EncodedString())
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(1800))
        guard response.status.code == 200 else { throw E2EError("pop answered \(response.status.code)") }
        FileManager.default.createFile(atPath: file.path, contents: nil)
        let handle = try FileHandle(forWritingTo: file)
        for try await chunk in response.body { try handle.write(contentsOf: Data(chunk.readableBytesView)) }
        try handle.close()
        try pair.expect(await pair.call(pair.b, "DELETE", "/api/messages/in/\(messageId)"), "delete at B")
    }

    @discardableResult
    static func shell(_ command: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw E2EError("\(command) exited with \(process.terminationStatus)") }
        return String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// A request body read from a file in 256 KB pieces, between a prefix and a suffix.
struct FileBody: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let prefix: Data
    let file: URL
    let suffix: Data

    struct AsyncIterator: AsyncIteratorProtocol {
        enum Stage { case prefix, file, suffix, done }
        var stage = Stage.prefix
        let body: FileBody
        var handle: FileHandle?

        mutating func next() async throws -> ByteBuffer? {
            while true {
                switch stage {
                case .prefix:
                    stage = .file
                    if !body.prefix.isEmpty { return ByteBuffer(bytes: body.prefix) }
                case .file:
                    if handle == nil { handle = try FileHandle(forReadingFrom: body.file) }
                    if let data = try handle?.read(upToCount: 256 * 1024), !data.isEmpty { return ByteBuffer(bytes: data) }
                    try handle?.close()
                    stage = .suffix
                case .suffix:
                    stage = .done
                    if !body.suffix.isEmpty { return ByteBuffer(bytes: body.suffix) }
                case .done:
                    return nil
                }
            }
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(body: self) }
}

extension String {
    func appendLine(toPath path: String) throws {
        if !FileManager.default.fileExists(atPath: path) { FileManager.default.createFile(atPath: path, contents: nil) }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        handle.seekToEndOfFile()
        try handle.write(contentsOf: Data(utf8))
        try handle.close()
    }
}
