import AsyncHTTPClient
import Foundation
import Testing
import TestTools

@Suite("The binary: start-up, configuration errors, shutdown")
struct StartupTests {
    func emptyFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ip-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// A folder with a fresh PKCS#12 keystore and a properties file for it on a free loopback port.
    func configuredFolder(extra: String) throws -> (URL, Int, TestKeystore) {
        let folder = try emptyFolder()
        let keystore = try TestKeystore.make(in: folder, orgNumber: "910077473")
        let port = try IntegrationPointProcess.freePort()
        try """
        server.port=\(port)
        server.address=127.0.0.1
        difi.move.org.number=910077473
        difi.move.org.keystore.path=\(keystore.path)
        difi.move.org.keystore.alias=\(keystore.alias)
        difi.move.org.keystore.password=\(keystore.password)
        difi.move.org.keystore.type=PKCS12
        difi.security.user.name=arkiv
        difi.security.user.password=hemmelig
        difi.move.ntp.disable=true
        \(extra)
        """.write(to: folder.appendingPathComponent("integrasjonspunkt-local.properties"), atomically: true, encoding: .utf8)
        return (folder, port, keystore)
    }

    @Test("Started in an empty folder it exits non-zero and names every missing key at once")
    func emptyFolderNamesMissingKeys() throws {
        let (status, output) = try IntegrationPointProcess.run([], in: try emptyFolder())
        #expect(status != 0)
        #expect(output.contains("difi.move.org.number"))
        #expect(output.contains("difi.move.org.keystore.path"))
        #expect(output.contains("difi.move.org.keystore.password"))
        #expect(output.contains("difi.security.user.password"))
    }

    @Test("--version and version print the semantic version")
    func version() throws {
        for arguments in [["--version"], ["version"]] {
            let (status, output) = try IntegrationPointProcess.run(arguments, in: try emptyFolder())
            #expect(status == 0)
            #expect(output.range(of: #"^integrasjonspunkt \d+\.\d+\.\d+"#, options: .regularExpression) != nil, "\(output)")
        }
    }

    @Test("With a keystore and credentials it serves, answers health without credentials, and stops on SIGTERM")
    func servesAndStops() async throws {
        let (folder, port, _) = try configuredFolder(extra: "difi.ssl.enabled=false")
        let node = IntegrationPointProcess(folder: folder, port: port)
        try node.start()
        try await node.waitUntilReady()
        #expect(try await HTTP.get("http://127.0.0.1:\(port)/api/conversations").status == 401)
        let listed = try await HTTP.get("http://127.0.0.1:\(port)/api/conversations", user: "arkiv", password: "hemmelig")
        #expect(listed.status == 200)
        #expect(!node.log.contains("hemmelig"), "secrets never reach the log")
        node.kill(signal: SIGTERM)
        #expect(try await node.waitForExit() == 0)
    }

    @Test("Runs as an unprivileged user (nobody) that may write only its working folder: stores, serves, stops",
          .enabled(if: getuid() == 0, "needs root to switch to the user nobody"))
    func runsAsUnprivilegedUser() async throws {
        let (folder, port, _) = try configuredFolder(extra: "difi.ssl.enabled=false")
        try ExternalTool.run("chown", ["-R", "nobody:nogroup", folder.path])
        try ExternalTool.run("chmod", ["700", folder.path])
        let node = IntegrationPointProcess(folder: folder, port: port)
        try node.start(launcher: ["/usr/bin/setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                                  "--inh-caps=-all", "--"])
        defer { node.kill(signal: SIGKILL) }
        try await node.waitUntilReady()
        let listed = try await HTTP.get("http://127.0.0.1:\(port)/api/conversations", user: "arkiv", password: "hemmelig")
        #expect(listed.status == 200)
        let written = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(written.contains { $0.hasPrefix("integrasjonspunkt.sqlite") }, "the store was created: \(written)")
        #expect(written.contains("integrasjonspunkt-logs"), "the log folder was created: \(written)")
        let owners = try ExternalTool.run("find", [folder.path, "-not", "-user", "nobody"])
        #expect(String(decoding: owners, as: UTF8.self).split(separator: "\n").allSatisfy { $0.hasSuffix("process-output.log") },
                "everything the process wrote belongs to nobody")
        node.kill(signal: SIGTERM)
        #expect(try await node.waitForExit() == 0, "\(node.log)")
    }

    @Test("difi.ssl.* serves the API over HTTPS with a PKCS#12 key store")
    func servesHTTPS() async throws {
        let (folder, port, keystore) = try configuredFolder(extra: "difi.ssl.enabled=true")
        try """
        difi.ssl.key-store=\(keystore.path)
        difi.ssl.key-store-type=PKCS12
        difi.ssl.key-store-password=\(keystore.password)
        difi.ssl.key-alias=\(keystore.alias)
        """.appendLine(to: folder.appendingPathComponent("integrasjonspunkt-local.properties"))
        let node = IntegrationPointProcess(folder: folder, port: port)
        try node.start()
        defer { node.kill(signal: SIGKILL) }
        var configuration = HTTPClient.Configuration()
        configuration.tlsConfiguration = .makeClientConfiguration()
        configuration.tlsConfiguration?.certificateVerification = .none
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let deadline = Date().addingTimeInterval(30)
        var status: UInt = 0
        while Date() < deadline, status != 200 {
            if let response = try? await client.execute(HTTPClientRequest(url: "https://127.0.0.1:\(port)/manage/health"),
                                                        timeout: .seconds(5)) {
                status = response.status.code
            } else {
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        try await client.shutdown()
        #expect(status == 200, "\(node.log)")
        await #expect(throws: (any Error).self) { _ = try await HTTP.get("http://127.0.0.1:\(port)/manage/health") }
    }
}

extension String {
    /// Appends this text and a newline to a file.
    func appendLine(to url: URL) throws {
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        handle.seekToEndOfFile()
        handle.write(Data(("\n" + self + "\n").utf8))
    }
}
