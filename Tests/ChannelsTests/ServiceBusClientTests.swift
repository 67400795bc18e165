import AsyncHTTPClient
import Channels
import Foundation
import Sandbox
import Testing

@Suite("DPE: the Service Bus REST client against the sandbox bus")
struct ServiceBusClientTests {
    static let inbox = "nextbestqueue\(receiver)innsyn"

    @Test("send with BrokerProperties {}, peek-lock with MessageId and LockToken, complete; empty queue answers nil")
    func sendPeekComplete() async throws {
        try await withServiceBus { bus, configuration in
            let client = ServiceBusClient(configuration: configuration, httpClient: .shared, keys: ConfiguredSASKey(bus.key))
            try await client.send(Data("første".utf8), to: Self.inbox)
            try await client.send(Data("andre".utf8), to: Self.inbox)
            #expect(bus.messages(in: Self.inbox).map(\.body) == [Data("første".utf8), Data("andre".utf8)])

            let first = try #require(try await client.peekLock(Self.inbox))
            #expect(first.body == Data("første".utf8))
            #expect(first.messageId == bus.messages(in: Self.inbox)[0].messageId, "the bus chose the MessageId")
            #expect(first.lockToken == bus.messages(in: Self.inbox)[0].lockToken)
            #expect(first.deliveryCount == 1)
            #expect(first.sequenceNumber == 1)
            try await client.complete(first)
            let second = try #require(try await client.peekLock(Self.inbox))
            #expect(second.body == Data("andre".utf8))
            try await client.complete(second)
            #expect(try await client.peekLock(Self.inbox) == nil)
            #expect(bus.completedCount(in: Self.inbox) == 2)

            // Completing twice: the lock is gone, and the error says so.
            let error = await #expect(throws: ServiceBusError.self) { try await client.complete(second) }
            #expect(error?.status == 404)
            #expect(error?.description.contains("The lock supplied is invalid") == true)
        }
    }

    @Test("unlock gives a message back at once; a lock that ran out lets it come again")
    func unlockAndLockExpiry() async throws {
        let clock = TestClock()
        try await withServiceBus(.init(lockDuration: 30), clock: clock) { bus, configuration in
            let client = ServiceBusClient(configuration: configuration, httpClient: .shared, keys: ConfiguredSASKey(bus.key), now: clock.now)
            try await client.send(Data("x".utf8), to: Self.inbox)
            let first = try #require(try await client.peekLock(Self.inbox))
            #expect(try await client.peekLock(Self.inbox) == nil, "locked")
            try await client.unlock(first)
            let second = try #require(try await client.peekLock(Self.inbox))
            #expect(second.deliveryCount == 2)
            clock.advance(31)
            let third = try #require(try await client.peekLock(Self.inbox))
            #expect(third.deliveryCount == 3)
            await #expect(throws: ServiceBusError.self) { try await client.complete(second) }
            try await client.complete(third)
            #expect(bus.messages(in: Self.inbox).isEmpty)
        }
    }

    @Test("a wrong key is a 401 that names the keys to check, after one fresh try")
    func wrongKey() async throws {
        try await withServiceBus { bus, configuration in
            let client = ServiceBusClient(configuration: configuration, httpClient: .shared, keys: ConfiguredSASKey("not-the-key"))
            let error = await #expect(throws: ServiceBusError.self) { try await client.send(Data("x".utf8), to: Self.inbox) }
            #expect(error?.isUnauthorized == true)
            #expect(error?.description.contains("difi.move.nextmove.serviceBus.sasKeyName") == true)
            #expect(error?.description.contains("InvalidSignature") == true)
            #expect(bus.refusedSignatures.count == 2, "sent, refused, signed again, refused")
            #expect(bus.messages(in: Self.inbox).isEmpty)
        }
    }

    @Test("a 401 drops the cached key and the request goes through with the key fetched again")
    func refetchAfterRotation() async throws {
        try await withServiceBus { bus, configuration in
            let keys = busKeys(bus)
            let client = ServiceBusClient(configuration: configuration, httpClient: .shared, keys: keys)
            try await client.send(Data("1".utf8), to: Self.inbox)
            try await client.send(Data("2".utf8), to: Self.inbox)
            #expect(await keys.fetchCount == 1, "cached")
            bus.rotateKey()
            let message = try #require(try await client.peekLock(Self.inbox))
            #expect(message.body == Data("1".utf8))
            #expect(await keys.fetchCount == 2)
            #expect(bus.refusedSignatures.count == 1)
        }
    }

    @Test("faults, a missing queue and an oversized message are errors with the status and Azure's detail")
    func errors() async throws {
        try await withServiceBus(.init(maximumMessageBytes: 100)) { bus, configuration in
            let client = ServiceBusClient(configuration: configuration, httpClient: .shared, keys: ConfiguredSASKey(bus.key))
            bus.failNext(.send, statusCode: 503)
            let unavailable = await #expect(throws: ServiceBusError.self) { try await client.send(Data("x".utf8), to: Self.inbox) }
            #expect(unavailable?.status == 503)
            #expect(unavailable?.isTransient == true)
            let missing = await #expect(throws: ServiceBusError.self) { try await client.send(Data("x".utf8), to: "nextbestqueue999999999innsyn") }
            #expect(missing?.status == 404)
            #expect(missing?.description.contains("could not be found") == true)
            #expect(missing?.isTransient == true, "4xx are retried on the normal schedule, as upstream")
            let large = await #expect(throws: ServiceBusError.self) { try await client.send(Data(count: 101), to: Self.inbox) }
            #expect(large?.status == 413)
            #expect(large?.isTransient == false)
            let unreachable = ServiceBusClient(configuration: .init(host: "127.0.0.1:1", useHTTPS: false, requestTimeout: .seconds(5)),
                                               httpClient: .shared, keys: ConfiguredSASKey("k"))
            let refused = await #expect(throws: ServiceBusError.self) { _ = try await unreachable.peekLock(Self.inbox) }
            #expect(refused?.status == nil)
            #expect(refused?.description.contains("cannot reach http://127.0.0.1:1") == true)
        }
    }

    @Test("a message larger than the client reads is reported with its size instead of its body")
    func oversizedIncoming() async throws {
        try await withServiceBus { bus, configuration in
            var small = configuration
            small.maximumMessageBytes = 1000
            let client = ServiceBusClient(configuration: small, httpClient: .shared, keys: ConfiguredSASKey(bus.key))
            bus.enqueue(Data(count: 5000), in: Self.inbox)
            let message = try #require(try await client.peekLock(Self.inbox))
            #expect(message.body == nil)
            #expect(message.bodyTooLarge == 5000)
            try await client.complete(message)
        }
    }
}
