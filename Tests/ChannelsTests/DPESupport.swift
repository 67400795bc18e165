import AsyncHTTPClient
import Channels
import Foundation
import Hummingbird
import Logging
import Sandbox

/// A sandbox Service Bus on loopback with the queues of the two test organisations, for the DPE client tests.
func withServiceBus<T>(_ configuration: SandboxServiceBus.Configuration = .init(), clock: TestClock = TestClock(),
                       _ body: (SandboxServiceBus, ServiceBusConfiguration) async throws -> T) async throws -> T {
    let bus = SandboxServiceBus(configuration: configuration, now: clock.now)
    for organisation in [sender, receiver] {
        for mode in ServiceBusQueueMode.allCases { bus.createQueue("nextbestqueue\(organisation)\(mode.rawValue)") }
    }
    let router = Router()
    bus.addRoutes(to: router)
    var logger = Logger(label: "service-bus-test")
    logger.logLevel = .warning
    let server = try await SandboxHTTPServer.start(router: router, name: "service bus", logger: logger)
    let client = ServiceBusConfiguration(host: "\(server.host):\(server.port)", useHTTPS: false, keyName: bus.keyName,
                                         requestTimeout: .seconds(10))
    do {
        let result = try await body(bus, client)
        await server.stop()
        return result
    } catch {
        await server.stop()
        throw error
    }
}

/// A key provider that asks `bus` for its current key, counting the fetches (the registry's `/sastoken`, in short).
func busKeys(_ bus: SandboxServiceBus) -> RegistrySASKey {
    RegistrySASKey { bus.key }
}
