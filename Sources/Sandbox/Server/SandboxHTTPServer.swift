import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// One Hummingbird server of the sandbox, bound to loopback, running in a task until `stop()`.
///
/// Port 0 picks a free port; `port` is the one actually bound, read when the server is up.
public final class SandboxHTTPServer: Sendable {
    public let host: String
    public let port: Int
    private let task: Task<Void, any Error>
    private let group: ServiceGroup

    public var baseURL: String { "http://\(host):\(port)" }

    private init(host: String, port: Int, task: Task<Void, any Error>, group: ServiceGroup) {
        self.host = host
        self.port = port
        self.task = task
        self.group = group
    }

    /// Starts `router` on `host:port` and returns once the socket is bound.
    public static func start(router: Router<BasicRequestContext>, host: String = "127.0.0.1", port: Int = 0,
                             name: String, logger: Logger) async throws -> SandboxHTTPServer {
        let (stream, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: name),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? port)
                continuation.finish()
            },
            logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let task = Task {
            defer { continuation.finish() }
            try await group.run()
        }
        var iterator = stream.makeAsyncIterator()
        guard let bound = await iterator.next() else {
            // The server stopped before it was up: surface its error (for example, the port is taken).
            try await task.value
            throw SandboxError.serverDidNotStart(name: name, host: host, port: port)
        }
        return SandboxHTTPServer(host: host, port: bound, task: task, group: group)
    }

    /// Stops the server gracefully (open requests finish, idle connections close) and waits until it has closed.
    public func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await task.value
    }
}
