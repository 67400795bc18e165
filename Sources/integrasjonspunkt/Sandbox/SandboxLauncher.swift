import Foundation
import Logging
import Sandbox

/// Starting and stopping the pieces of the sandbox.
enum SandboxLauncher {
    static func startNetwork(folder: String, logger: Logger) async throws -> SandboxNetwork {
        let directory = URL(fileURLWithPath: folder, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            .standardizedFileURL
        say("Starting the local eFormidling network in \(directory.path) (issuing 3072-bit certificates)…")
        return try await SandboxNetwork.start(SandboxNetwork.Configuration(directory: directory), logger: logger)
    }

    static func startIntegrationPoints(_ network: SandboxNetwork) throws -> [SandboxNode] {
        try network.organisations.map { organisation in
            let node = SandboxNode(organisation: organisation)
            try node.start()
            return node
        }
    }

    static func printSummary(_ network: SandboxNetwork, nodes: [SandboxNode]) {
        say("""

        The sandbox is running.
          Service registry:   \(network.serviceRegistryURL)
          Maskinporten:       \(network.maskinportenTokenURL)
          Altinn broker:      \(network.brokerServiceURL)
        """)
        for line in network.services.flatMap(\.summary) { say("  " + line) }
        for organisation in network.organisations {
            let node = nodes.first { $0.organisation.organisationNumber == organisation.organisationNumber }
            say("""
              \(organisation.name) (\(organisation.organisationNumber)):
                API:          http://127.0.0.1:\(organisation.integrationPointPort)/api  (user \(organisation.username), password \(organisation.password))
                folder:       \(organisation.directory.path)
            """)
            if let node { say("    log:          \(node.logFile.path)") }
        }
        say("\nPress Ctrl-C to stop.")
    }

    /// Returns on SIGINT or SIGTERM.
    static func waitForInterrupt() async {
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        let queue = DispatchQueue(label: "sandbox-signals")
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumed = Resumed()
            let sources = [SIGINT, SIGTERM].map { DispatchSource.makeSignalSource(signal: $0, queue: queue) }
            for source in sources {
                source.setEventHandler {
                    if resumed.first() {
                        sources.forEach { $0.cancel() }
                        continuation.resume()
                    }
                }
                source.resume()
            }
        }
    }

    /// Guards a continuation against a second resume.
    final class Resumed: @unchecked Sendable {
        private var done = false
        private let lock = NSLock()
        func first() -> Bool {
            lock.lock()
            defer { lock.unlock() }
            if done { return false }
            done = true
            return true
        }
    }
}

/// One integration point of the sandbox: this binary, run as a child process in the organisation's folder.
final class SandboxNode: @unchecked Sendable {
    let organisation: SandboxNetwork.Organisation
    let process = Process()
    var logFile: URL { organisation.directory.appendingPathComponent("integrasjonspunkt.log") }
    var baseURL: String { "http://127.0.0.1:\(organisation.integrationPointPort)" }

    init(organisation: SandboxNetwork.Organisation) {
        self.organisation = organisation
    }

    func start() throws {
        process.executableURL = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
        process.arguments = []
        process.currentDirectoryURL = organisation.directory
        process.environment = ProcessInfo.processInfo.environment.filter { key, _ in
            !["DIFI", "SERVER", "SPRING", "LOGGING"].contains { key.uppercased().hasPrefix($0) }
        }
        FileManager.default.createFile(atPath: logFile.path, contents: nil)
        let log = try FileHandle(forWritingTo: logFile)
        process.standardOutput = log
        process.standardError = log
        try process.run()
    }

    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }
}
