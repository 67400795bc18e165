import Foundation
import Testing

@Suite("The backup and restore commands of the binary")
struct BackupCommandTests {
    func folder(_ name: String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ip-e2e-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    func configure(_ folder: URL, port: Int, keystore: TestKeystore) throws {
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
        difi.ssl.enabled=false
        """.write(to: folder.appendingPathComponent("integrasjonspunkt-local.properties"), atomically: true, encoding: .utf8)
    }

    @Test("backup copies a running integration point's store; restore brings it up in an empty folder, once")
    func backupRunningAndRestore() async throws {
        let live = try folder("live")
        let keystore = try TestKeystore.make(in: live, orgNumber: "910077473")
        let port = try IntegrationPointProcess.freePort()
        try configure(live, port: port, keystore: keystore)
        let node = IntegrationPointProcess(folder: live, port: port)
        try node.start()
        defer { node.kill(signal: SIGKILL) }
        try await node.waitUntilReady()

        let backup = try folder("backup").appendingPathComponent("copy")
        let (status, output) = try IntegrationPointProcess.run(["backup", "--to", backup.path], in: live)
        #expect(status == 0, "\(output)")
        #expect(output.contains("Backed up to"))
        for name in ["integrasjonspunkt.sqlite", "backup-info.json"] {
            #expect(FileManager.default.fileExists(atPath: backup.appendingPathComponent(name).path), "\(name)")
        }
        #expect(try await HTTP.get("http://127.0.0.1:\(port)/manage/health").status == 200, "still serving")
        node.kill(signal: SIGTERM)
        #expect(try await node.waitForExit() == 0)

        let restored = try folder("restored")
        let restoredPort = try IntegrationPointProcess.freePort()
        try configure(restored, port: restoredPort, keystore: keystore)
        let (restoreStatus, restoreOutput) = try IntegrationPointProcess.run(["restore", "--from", backup.path], in: restored)
        #expect(restoreStatus == 0, "\(restoreOutput)")
        let (againStatus, againOutput) = try IntegrationPointProcess.run(["restore", "--from", backup.path], in: restored)
        #expect(againStatus == 1)
        #expect(againOutput.contains("Will not restore over an existing store"), "\(againOutput)")

        let second = IntegrationPointProcess(folder: restored, port: restoredPort)
        try second.start()
        defer { second.kill(signal: SIGKILL) }
        try await second.waitUntilReady()
        let health = try await HTTP.get("http://127.0.0.1:\(restoredPort)/manage/health")
        #expect(health.status == 200)
        #expect(String(decoding: health.body, as: UTF8.self).contains("housekeeping"))
        let info = try await HTTP.get("http://127.0.0.1:\(restoredPort)/manage/info", user: "arkiv", password: "hemmelig")
        #expect(String(decoding: info.body, as: UTF8.self).contains("\"commit\""))
    }

    @Test("backup without a database, and restore from a folder that is not a backup, explain themselves")
    func explainsMistakes() throws {
        let empty = try folder("empty")
        let (status, output) = try IntegrationPointProcess.run(["backup", "--to", "copy"], in: empty)
        #expect(status == 1)
        #expect(output.contains("There is no database"), "\(output)")
        let (restoreStatus, restoreOutput) = try IntegrationPointProcess.run(["restore", "--from", empty.path], in: empty)
        #expect(restoreStatus == 1)
        #expect(restoreOutput.contains("is not a backup"), "\(restoreOutput)")
    }
}
