import Foundation
import Sandbox

/// The PostgreSQL server `scripts/test.sh` starts (`IP_TEST_POSTGRES_URL`). The end-to-end tests on PostgreSQL run
/// when it is set, and in CI always (where its absence fails them instead of skipping them).
enum TestPostgres {
    static var url: String? {
        ProcessInfo.processInfo.environment["IP_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    static var isRequested: Bool {
        url != nil || ["true", "1", "yes"].contains(ProcessInfo.processInfo.environment["CI"]?.lowercased() ?? "")
    }

    static func requireURL() throws -> URLComponents {
        guard let url, let components = URLComponents(string: url) else {
            throw E2EError("IP_TEST_POSTGRES_URL is not set, so the end-to-end tests on PostgreSQL cannot run. Run "
                + "scripts/test.sh, which starts a throwaway PostgreSQL, or set it to postgresql://user@host:port/db.")
        }
        return components
    }

    /// A new schema's name: each integration point (or group of instances sharing one) gets its own tables.
    static func newSchema() -> String {
        "e2e_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
    }

    /// The datasource properties for `schema`, in the upstream's JDBC form; `port` replaces the server's port (to
    /// go through a proxy).
    static func properties(schema: String, port: Int? = nil) throws -> String {
        let server = try requireURL()
        let host = server.host ?? "127.0.0.1"
        let database = String(server.path.drop { $0 == "/" })
        var lines = ["difi.datasource.url=jdbc:postgresql://\(host):\(port ?? server.port ?? 5432)/\(database)?currentSchema=\(schema)"]
        if let user = server.user { lines.append("difi.datasource.username=\(user)") }
        if let password = server.password { lines.append("difi.datasource.password=\(password)") }
        return "\n" + lines.joined(separator: "\n") + "\n"
    }

    static var serverPort: Int { (try? requireURL().port) ?? 5432 }

    /// Appends `text` to the organisation's properties file.
    static func append(_ text: String, to organisation: SandboxNetwork.Organisation) throws {
        let handle = try FileHandle(forWritingTo: organisation.propertiesPath)
        defer { try? handle.close() }
        handle.seekToEndOfFile()
        handle.write(Data(text.utf8))
    }
}

/// A TCP forwarder on loopback (python3), standing in for a database server that can be switched off and on:
/// killing it cuts every connection through it, as a server going away does.
final class TCPProxy: @unchecked Sendable {
    let port: Int
    let targetPort: Int
    private var process: Process?

    static let script = """
    import socket, sys, threading
    listen_port, target_port = int(sys.argv[1]), int(sys.argv[2])
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", listen_port))
    server.listen(64)
    print("listening", flush=True)
    def pipe(source, sink):
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                sink.sendall(data)
        except OSError:
            pass
        for s in (source, sink):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
    while True:
        client, _ = server.accept()
        try:
            upstream = socket.create_connection(("127.0.0.1", target_port))
        except OSError:
            client.close()
            continue
        threading.Thread(target=pipe, args=(client, upstream), daemon=True).start()
        threading.Thread(target=pipe, args=(upstream, client), daemon=True).start()
    """

    init(port: Int, targetPort: Int) {
        self.port = port
        self.targetPort = targetPort
    }

    /// Starts forwarding; returns once the port accepts connections.
    func start() async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", Self.script, "\(port)", "\(targetPort)"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        self.process = process
        // The script prints one line once it listens.
        let line = await Task.detached { output.fileHandleForReading.availableData }.value
        guard String(decoding: line, as: UTF8.self).contains("listening") else {
            throw E2EError("the TCP proxy on port \(port) did not start")
        }
    }

    /// Stops at once, cutting every connection.
    func kill() {
        guard let process, process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    deinit { kill() }
}
