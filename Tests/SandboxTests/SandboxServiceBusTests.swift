import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import NIOCore
import Packaging
import Sandbox
import Synchronization
import Testing
import TestTools

@Suite("The sandbox Service Bus: SAS checked, per-queue FIFO, peek-lock, complete, unlock")
struct SandboxServiceBusTests {
    /// A clock the tests move by hand.
    final class Clock: Sendable {
        private let offset = Mutex<TimeInterval>(0)
        func advance(_ seconds: TimeInterval) { offset.withLock { $0 += seconds } }
        var now: @Sendable () -> Date { { Date().addingTimeInterval(self.offset.withLock { $0 }) } }
    }

    struct Answer {
        var status: Int
        var headers: [String: String]
        var body: Data
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// Starts a bus (and `/sastoken` beside it) on loopback, runs `body`, stops it.
    static func withBus<T>(_ configuration: SandboxServiceBus.Configuration = .init(), clock: Clock = Clock(),
                           _ body: (SandboxServiceBus, String) async throws -> T) async throws -> T {
        let bus = SandboxServiceBus(configuration: configuration, now: clock.now)
        let router = Router()
        bus.addRoutes(to: router)
        var logger = Logger(label: "bus-test")
        logger.logLevel = .warning
        let server = try await SandboxHTTPServer.start(router: router, name: "service bus", logger: logger)
        do {
            let result = try await body(bus, server.baseURL)
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }

    /// A request signed by Python (independently of the gateway's signer).
    static func call(_ method: String, _ base: String, _ path: String, bus: SandboxServiceBus, key: String? = nil,
                     keyName: String? = nil, expiry: Int64? = nil, signedResource: String? = nil, body: Data? = nil,
                     headers: [String: String] = [:]) async throws -> Answer {
        let url = base + path
        var request = HTTPClientRequest(url: url + (method == "POST" && path.hasSuffix("/head") ? "?timeout=1" : ""))
        request.method = .init(rawValue: method)
        let se = expiry ?? Int64(Date().timeIntervalSince1970) + 20
        request.headers.add(name: "Authorization", value: try PythonSharedAccessSignature.header(
            resourceURI: signedResource ?? url, keyName: keyName ?? bus.keyName, key: key ?? bus.key, expiry: se))
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(data: body)) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        let collected = try await response.body.collect(upTo: 16 << 20)
        var names: [String: String] = [:]
        for header in response.headers { names[header.name.lowercased()] = header.value }
        return Answer(status: Int(response.status.code), headers: names, body: Data(buffer: collected))
    }

    static func properties(_ answer: Answer) throws -> [String: Any] {
        let header = try #require(answer.headers["brokerproperties"])
        return try #require(try JSONSerialization.jsonObject(with: Data(header.utf8)) as? [String: Any])
    }

    @Test("a signature made by Python's hmac is accepted; every wrong part is refused with 401 and the reason")
    func signatureIsChecked() async throws {
        try await Self.withBus { bus, base in
            bus.createQueue("nextbestqueue910075918innsyn")
            let path = "/nextbestqueue910075918innsyn/messages"
            #expect(try await Self.call("POST", base, path, bus: bus, body: Data("hei".utf8)).status == 201)
            // Signed for the namespace root: a prefix of every queue's URL, accepted as Azure does.
            #expect(try await Self.call("POST", base, path, bus: bus, signedResource: base + "/", body: Data("b".utf8)).status == 201)

            let cases: [(String, Answer)] = [
                ("InvalidSignature", try await Self.call("POST", base, path, bus: bus, key: "not-the-key", body: Data())),
                ("key name", try await Self.call("POST", base, path, bus: bus, keyName: "MoveDPE-prodPolicy", body: Data())),
                ("ExpiredToken", try await Self.call("POST", base, path, bus: bus, expiry: Int64(Date().timeIntervalSince1970) - 600, body: Data())),
                ("InvalidAudience", try await Self.call("POST", base, path, bus: bus, signedResource: base + "/nextbestqueue910077473innsyn", body: Data())),
            ]
            for (reason, answer) in cases {
                #expect(answer.status == 401, "\(reason)")
                #expect(answer.text.contains("<Error><Code>401</Code><Detail>"), "\(answer.text)")
                #expect(answer.text.contains(reason), "\(reason): \(answer.text)")
            }
            var unsigned = HTTPClientRequest(url: base + path)
            unsigned.method = .POST
            #expect(try await HTTPClient.shared.execute(unsigned, timeout: .seconds(60)).status.code == 401)
            #expect(bus.messages(in: "nextbestqueue910075918innsyn").count == 2)
            #expect(bus.refusedSignatures.count == 5)
        }
    }

    @Test("messages come out first in, first out, locked; complete removes, unlock gives back, a lost lock is 404")
    func peekLockCompleteUnlock() async throws {
        let clock = Clock()
        try await Self.withBus(.init(lockDuration: 30), clock: clock) { bus, base in
            let queue = "nextbestqueue910075918innsyn"
            bus.createQueue(queue)
            for text in ["first", "second"] {
                #expect(try await Self.call("POST", base, "/\(queue)/messages", bus: bus, body: Data(text.utf8),
                                            headers: ["BrokerProperties": "{}"]).status == 201)
            }
            let first = try await Self.call("POST", base, "/\(queue)/messages/head", bus: bus)
            #expect(first.status == 201)
            #expect(first.text == "first")
            let firstProperties = try Self.properties(first)
            let id = try #require(firstProperties["MessageId"] as? String)
            let lock = try #require(firstProperties["LockToken"] as? String)
            #expect(id.count == 32, "Azure-style id when the sender sets none")
            #expect(firstProperties["DeliveryCount"] as? Int == 1)
            #expect(first.headers["location"]?.hasSuffix("/\(queue)/messages/\(id)/\(lock)") == true)

            // The first is locked, so the next peek gets the second; then the queue has nothing unlocked.
            let second = try await Self.call("POST", base, "/\(queue)/messages/head", bus: bus)
            #expect(second.text == "second")
            #expect(try await Self.call("POST", base, "/\(queue)/messages/head", bus: bus).status == 204)

            // Unlock the second: it comes again, delivery count 2.
            let secondProperties = try Self.properties(second)
            let secondPath = "/\(queue)/messages/\(secondProperties["MessageId"] as! String)/\(secondProperties["LockToken"] as! String)"
            #expect(try await Self.call("PUT", base, secondPath, bus: bus).status == 200)
            let again = try await Self.call("POST", base, "/\(queue)/messages/head", bus: bus)
            #expect(again.text == "second")
            #expect(try Self.properties(again)["DeliveryCount"] as? Int == 2)
            // The old lock token is no longer the message's lock.
            #expect(try await Self.call("DELETE", base, secondPath, bus: bus).status == 404)

            #expect(try await Self.call("DELETE", base, "/\(queue)/messages/\(id)/\(lock)", bus: bus).status == 200)
            #expect(bus.messages(in: queue).map { String(decoding: $0.body, as: UTF8.self) } == ["second"])
            #expect(bus.completedCount(in: queue) == 1)

            // A lock runs out: after 31 s the second is handed out again and its old lock cannot complete it.
            let lastLock = try Self.properties(again)
            clock.advance(31)
            let expiredPath = "/\(queue)/messages/\(lastLock["MessageId"] as! String)/\(lastLock["LockToken"] as! String)"
            let lockLost = try await Self.call("DELETE", base, expiredPath, bus: bus)
            #expect(lockLost.status == 404)
            #expect(lockLost.text.contains("The lock supplied is invalid"))
            let third = try await Self.call("POST", base, "/\(queue)/messages/head", bus: bus)
            #expect(third.text == "second")
            #expect(try Self.properties(third)["DeliveryCount"] as? Int == 3)
        }
    }

    @Test("queues are separate; an unknown queue is 404; a body over the limit is 413; a sender's MessageId is kept")
    func queuesAndLimits() async throws {
        try await Self.withBus(.init(maximumMessageBytes: 1000)) { bus, base in
            bus.createQueue("nextbestqueue910075918innsyn")
            bus.createQueue("nextbestqueue910077473data")
            #expect(try await Self.call("POST", base, "/nextbestqueue910077473data/messages", bus: bus, body: Data("til data".utf8),
                                        headers: ["BrokerProperties": #"{"MessageId":"sender-chosen"}"#]).status == 201)
            #expect(try await Self.call("POST", base, "/nextbestqueue910075918innsyn/messages/head", bus: bus).status == 204)
            let data = try await Self.call("POST", base, "/nextbestqueue910077473data/messages/head", bus: bus)
            #expect(try Self.properties(data)["MessageId"] as? String == "sender-chosen")

            let missing = try await Self.call("POST", base, "/nextbestqueue999999999innsyn/messages", bus: bus, body: Data("x".utf8))
            #expect(missing.status == 404)
            #expect(missing.text.contains("could not be found"))
            let large = try await Self.call("POST", base, "/nextbestqueue910075918innsyn/messages", bus: bus, body: Data(count: 1001))
            #expect(large.status == 413)
            #expect(bus.messages(in: "nextbestqueue910075918innsyn").isEmpty)
        }
    }

    @Test("after the maximum deliveries a message is dead-lettered; an expired one is dropped; faults can be injected")
    func deadLettersExpiryAndFaults() async throws {
        let clock = Clock()
        try await Self.withBus(.init(lockDuration: 10, maxDeliveryCount: 2), clock: clock) { bus, base in
            let queue = "nextbestqueue910075918innsyn"
            bus.enqueue(Data("poison".utf8), in: queue)
            bus.enqueue(Data("short-lived".utf8), in: queue, timeToLive: 5)
            #expect(try await Self.call("POST", base, "/\(queue)/messages/head", bus: bus).text == "poison")
            clock.advance(11)
            // The short-lived message expired on the bus (not delivered); the poison comes a second time.
            #expect(try await Self.call("POST", base, "/\(queue)/messages/head", bus: bus).text == "poison")
            clock.advance(11)
            #expect(try await Self.call("POST", base, "/\(queue)/messages/head", bus: bus).status == 204)
            #expect(bus.deadLetters(in: queue).map(\.deliveryCount) == [2])
            #expect(bus.messages(in: queue).isEmpty)

            bus.failNext(.send, count: 1, statusCode: 503)
            let failed = try await Self.call("POST", base, "/\(queue)/messages", bus: bus, body: Data("x".utf8))
            #expect(failed.status == 503)
            #expect(try await Self.call("POST", base, "/\(queue)/messages", bus: bus, body: Data("x".utf8)).status == 201)
            #expect(bus.messages(in: queue).count == 1)
        }
    }

    @Test("/sastoken hands out the bus's key: plain, or as a JWS the registry's JWK verifies; after a rotation the new one")
    func sasTokenEndpoint() async throws {
        let bus = SandboxServiceBus()
        let signer = SandboxTokenSigner(keyID: "sandbox-service-registry", key: try TestKeys.key("sastoken-registry", 2048))
        let endpoint = SandboxSASTokenEndpoint(bus: bus, signer: signer)
        let router = Router()
        endpoint.addRoutes(to: router)
        var logger = Logger(label: "sastoken-test")
        logger.logLevel = .warning
        let server = try await SandboxHTTPServer.start(router: router, name: "registry", logger: logger)
        defer { Task { await server.stop() } }

        let (plainStatus, _, plain) = try await SandboxNetworkTests.get(server.baseURL + "/sastoken")
        #expect(plainStatus == 200)
        #expect(plain == bus.key)
        let (_, type, jws) = try await SandboxNetworkTests.get(server.baseURL + "/sastoken", accept: "application/jose, application/json")
        #expect(type.contains("application/jose"))
        let payload = try JWSVerifier(keySet: try JWKSet(json: try JSONSerialization.data(withJSONObject: ["keys": [signer.jwk]]))).verify(jws)
        #expect(String(decoding: payload, as: UTF8.self) == bus.key)

        bus.rotateKey(to: "rotated-key")
        #expect(try await SandboxNetworkTests.get(server.baseURL + "/sastoken").2 == "rotated-key")
        endpoint.failNext()
        #expect(try await SandboxNetworkTests.get(server.baseURL + "/sastoken").0 == 503)
        #expect(endpoint.requestCount == 4)
    }
}
