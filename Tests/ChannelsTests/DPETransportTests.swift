import AsyncHTTPClient
import Channels
import Foundation
import Packaging
import Sandbox
import Synchronization
import Testing
import TestTools

@Suite("DPE: send and one receiving round over the sandbox bus")
struct DPETransportTests {
    static func transport(_ bus: SandboxServiceBus, _ configuration: ServiceBusConfiguration, own: String,
                          mode: ServiceBusQueueMode = .innsyn, readMaxMessages: Int = 50, clock: TestClock = TestClock(),
                          scratch: Scratch) -> DPETransport {
        DPETransport(bus: ServiceBusClient(configuration: configuration, httpClient: .shared, keys: ConfiguredSASKey(bus.key), now: clock.now),
                     naming: DPEQueueNaming(ownOrganisationNumber: own, mode: mode), readMaxMessages: readMaxMessages,
                     temporaryDirectory: scratch.url)
    }

    static func sbd(_ id: String, type: String = "innsynskrav") -> Data {
        Data(#"{"standardBusinessDocumentHeader":{"documentIdentification":{"instanceIdentifier":"\#(id)","type":"\#(type)"}},"\#(type)":{}}"#.utf8)
    }

    /// Records what the handler was given.
    final class Received: Sendable {
        let items = Mutex<[(sbd: Data, asic: Data?)]>([])
        var count: Int { items.withLock { $0.count } }
    }

    @Test("an innsynskrav with files reaches the receiver's innsyn queue; the receiver gets the SBD and a container it decrypts")
    func sendAndReceive() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let authority = try SandboxCertificateAuthority(key: try TestKeys.key("dpe-ca", 2048))
        let senderIdentity = try authority.issueVirksomhetssertifikat(organisationNumber: sender, organisationName: "Avsender",
                                                                      key: try TestKeys.key("dpe-sender", 2048))
        let receiverIdentity = try authority.issueVirksomhetssertifikat(organisationNumber: receiver, organisationName: "Mottaker",
                                                                        key: try TestKeys.key("dpe-receiver", 2048))
        try await withServiceBus { bus, configuration in
            let outgoing = Self.transport(bus, configuration, own: sender, mode: .data, scratch: scratch)
            let order = Data("<order/>".utf8)
            let queue = try await outgoing.send(
                sbdJSON: Self.sbd("m-1"), receiver: "0192:\(receiver)", outgoing: .businessMessage(endpointURL: "innsyn"),
                container: DPEMessagePacker.asicContainer(
                    documents: [AsicDocument(filename: "order.xml", mimeType: "application/xml", data: order)],
                    manifest: nil, signer: try senderIdentity.keystoreEntry(), signingTime: Date()),
                receiverCertificateDER: receiverIdentity.certificateDER)
            #expect(queue == "nextbestqueue\(receiver)innsyn")

            let incoming = Self.transport(bus, configuration, own: receiver, scratch: scratch)
            let received = Received()
            let outcomes = try await incoming.receiveOnce { message in
                let asic = try message.encryptedAsic.map { try Data(contentsOf: $0) }
                let permissions = try message.encryptedAsic.map { try FileManager.default.attributesOfItem(atPath: $0.path)[.posixPermissions] as? Int }
                #expect(permissions == 0o600)
                received.items.withLock { $0.append((message.sbdJSON, asic)) }
                return .stored
            }
            #expect(outcomes.map(\.disposition) == [.stored])
            let item = try #require(received.items.withLock { $0.first })
            #expect(item.sbd == Self.sbd("m-1"))
            let plain = try CMS.decrypt(try #require(item.asic), with: try receiverIdentity.keystoreEntry())
            #expect(try AsicReader(data: plain).data("order.xml") == order)
            #expect(bus.messages(in: queue).isEmpty, "completed after it was stored")
            #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.url.path).isEmpty, "no temporary file left")

            // The einnsyn_kvittering back, without files, goes to the sender's data queue.
            let receipt = try await incoming.send(sbdJSON: Self.sbd("k-1", type: "einnsyn_kvittering"), receiver: sender,
                                                  outgoing: .einnsynKvittering(referanseType: "innsynskrav"),
                                                  container: nil, receiverCertificateDER: nil)
            #expect(receipt == "nextbestqueue\(sender)data")
            #expect(!String(decoding: bus.messages(in: receipt)[0].body, as: UTF8.self).contains("asic"))
        }
    }

    @Test("a handler that fails leaves the message unlocked on the queue; the next round stores it")
    func failedStoreStays() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try await withServiceBus { bus, configuration in
            let inbox = "nextbestqueue\(receiver)innsyn"
            bus.enqueue(DPEPayload.encode(sbdJSON: Self.sbd("m-2"), encryptedContainer: nil), in: inbox)
            let incoming = Self.transport(bus, configuration, own: receiver, scratch: scratch)
            struct DiskFull: Error {}
            let first = try await incoming.receiveOnce { _ in throw DiskFull() }
            #expect(first.map(\.disposition) == [nil])
            #expect(bus.messages(in: inbox).first?.lockToken == nil, "unlocked at once")
            let second = try await incoming.receiveOnce { _ in .stored }
            #expect(second.map(\.disposition) == [.stored])
            #expect(bus.messages(in: inbox).isEmpty)
        }
    }

    @Test("what is no DPE payload, or too large, is completed and reported without reaching the handler")
    func unreadableMessagesAreDropped() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try await withServiceBus { bus, configuration in
            let inbox = "nextbestqueue\(receiver)innsyn"
            bus.enqueue(Data("<xml>old format</xml>".utf8), in: inbox)
            bus.enqueue(Data(#"{"sbd":{},"asic":"aGVsbG8="}"#.utf8), in: inbox)
            bus.enqueue(DPEPayload.encode(sbdJSON: Self.sbd("big"), encryptedContainer: Data([0x30] + [UInt8](repeating: 1, count: 4000))), in: inbox)
            var small = configuration
            small.maximumMessageBytes = 2000
            let incoming = DPETransport(bus: ServiceBusClient(configuration: small, httpClient: .shared, keys: ConfiguredSASKey(bus.key)),
                                        naming: DPEQueueNaming(ownOrganisationNumber: receiver), temporaryDirectory: scratch.url)
            let received = Received()
            let outcomes = try await incoming.receiveOnce { message in
                received.items.withLock { $0.append((message.sbdJSON, nil)) }
                return .stored
            }
            #expect(received.count == 0)
            #expect(outcomes.count == 3)
            let reasons = outcomes.compactMap { outcome -> String? in
                if case .rejected(let reason) = outcome.disposition { return reason }
                return nil
            }
            #expect(reasons.count == 3)
            #expect(reasons[0].contains("not a DPE payload"))
            #expect(reasons[1].contains("does not decode to a CMS envelope"))
            #expect(reasons[2].contains("more than the 2000 bytes"))
            #expect(bus.messages(in: inbox).isEmpty)
        }
    }

    @Test("a round reads batch after batch of readMaxMessages until the queue is empty")
    func batches() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try await withServiceBus { bus, configuration in
            let inbox = "nextbestqueue\(receiver)innsyn"
            for index in 0..<5 { bus.enqueue(DPEPayload.encode(sbdJSON: Self.sbd("m-\(index)"), encryptedContainer: nil), in: inbox) }
            let incoming = Self.transport(bus, configuration, own: receiver, readMaxMessages: 2, scratch: scratch)
            let received = Received()
            let outcomes = try await incoming.receiveOnce { message in
                received.items.withLock { $0.append((message.sbdJSON, nil)) }
                return .stored
            }
            #expect(outcomes.count == 5)
            #expect(received.items.withLock { $0.map(\.sbd) } == (0..<5).map { Self.sbd("m-\($0)") }, "first in, first out")
            #expect(bus.completedCount(in: inbox) == 5)
        }
    }

    @Test("stored but not completed (a crash in between): the message comes again once its lock runs out")
    func storedButNotCompleted() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let clock = TestClock()
        try await withServiceBus(.init(lockDuration: 60), clock: clock) { bus, configuration in
            let inbox = "nextbestqueue\(receiver)innsyn"
            bus.enqueue(DPEPayload.encode(sbdJSON: Self.sbd("m-3"), encryptedContainer: nil), in: inbox)
            let incoming = Self.transport(bus, configuration, own: receiver, clock: clock, scratch: scratch)
            let stored = Mutex<Set<Data>>([])
            let handler: @Sendable (DPETransport.IncomingMessage) async throws -> DPETransport.Disposition = { message in
                stored.withLock { $0.insert(message.sbdJSON).inserted } ? .stored : .duplicate
            }
            bus.failNext(.complete)
            let first = try await incoming.receiveOnce(handle: handler)
            #expect(first.map(\.disposition) == [nil])
            #expect(first[0].error?.contains("500") == true)
            #expect(try await incoming.receiveOnce(handle: handler).isEmpty, "still locked")
            clock.advance(61)
            let again = try await incoming.receiveOnce(handle: handler)
            #expect(again.map(\.disposition) == [.duplicate])
            #expect(bus.messages(in: inbox).isEmpty)
            #expect(stored.withLock { $0.count } == 1)
        }
    }
}
