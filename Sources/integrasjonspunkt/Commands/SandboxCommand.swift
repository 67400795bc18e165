import ArgumentParser
import Foundation
import Logging
import NIOCore
import NIOPosix
import Sandbox

/// `integrasjonspunkt sandbox`: a local eFormidling network with two integration points exchanging a message.
struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Run a local eFormidling network with two integration points and send a demo message between them.",
        discussion: """
        Starts, on 127.0.0.1: a service registry, Maskinporten with the Altinn token exchange, an Altinn 3 Broker \
        and a test certificate authority; then integration points for 910077473 (port 9093) and 910075918 \
        (port 9094), each configured only by the integrasjonspunkt-local.properties in its folder. It sends an \
        arkivmelding with a PDF from the first to the second, takes it at the second as an archive system would, \
        prints each status until LEVERT; then runs the other channels' steps (DPV; DPF: one over KS SvarUt to the \
        municipality 910076019 until LEST, and a forsendelse the second takes from its SvarInn mailbox). It keeps \
        running until Ctrl-C.
        """,
        subcommands: [SandboxNetworkCommand.self])

    @Option(name: .long, help: "The folder for the network's files (certificates, broker storage, each integration point's folder).")
    var folder: String = "sandbox"

    func run() async throws {
        let logger = Logger(label: "sandbox")
        let network = try await SandboxLauncher.startNetwork(folder: folder, logger: logger)
        let nodes = try SandboxLauncher.startIntegrationPoints(network)
        defer { nodes.forEach { $0.stop() } }
        do {
            try await SandboxDemo(network: network, nodes: nodes).run()
        } catch {
            say("\nThe demo did not complete: \(error)")
            for node in nodes { say("  log of \(node.organisation.organisationNumber): \(node.logFile.path)") }
            nodes.forEach { $0.stop() }
            await network.stop()
            throw ExitCode(1)
        }
        SandboxLauncher.printSummary(network, nodes: nodes)
        await SandboxLauncher.waitForInterrupt()
        say("Stopping the sandbox…")
        nodes.forEach { $0.stop() }
        await network.stop()
    }
}

/// `integrasjonspunkt sandbox network`: only the national services, for pointing other integration points at.
struct SandboxNetworkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "network",
        abstract: "Run only the local eFormidling network (registry, Maskinporten, Altinn broker, KS SvarUt/SvarInn, test CA).")

    @Option(name: .long, help: "The folder for the network's files.")
    var folder: String = "sandbox"

    func run() async throws {
        // The network's services are HTTP handlers over memory and small files: run its tasks on NIO's event loops
        // instead of handing every request from an event loop to Swift's thread pool and back (a tenth less CPU
        // per message under load, a third of the context switches). Only in this process of its own: the
        // integration point keeps the default pool, where its blocking work (PostgreSQL's transaction threads wait
        // for event loops) cannot stall its I/O.
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        let network = try await SandboxLauncher.startNetwork(folder: folder, logger: Logger(label: "sandbox"))
        SandboxLauncher.printSummary(network, nodes: [])
        for organisation in network.organisations {
            say("Start an integration point for \(organisation.organisationNumber) with:")
            say("  cd \(organisation.directory.path) && integrasjonspunkt")
        }
        await SandboxLauncher.waitForInterrupt()
        await network.stop()
    }
}
