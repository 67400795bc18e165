import Channels
import Foundation
import Packaging
import Sandbox
import Synchronization
import Testing

@Suite("DPO transport: send and one polling round over the sandbox broker")
struct DPOTransportTests {
    static func transport(_ network: SandboxNetwork, _ organisationNumber: String, _ scratch: Scratch) throws -> DPOTransport {
        DPOTransport(broker: try AltinnBrokerClientTests.broker(network, organisationNumber), temporaryDirectory: scratch.url)
    }

    @Test("a message with files and a status message reach the receiver; each is confirmed once")
    func sendAndReceive() async throws {
        try await withSandbox { network, scratch in
            let a = try Self.transport(network, sender, scratch)
            let b = try Self.transport(network, receiver, scratch)
            let receiverIdentity = try #require(network.organisation(receiver)?.identity)
            let container = Data("pretend this is an ASiC-E".utf8)
            let sbd = Data(#"{"standardBusinessDocumentHeader":{},"arkivmelding":{}}"#.utf8)
            let status = Data(#"{"standardBusinessDocumentHeader":{},"status":{"status":"MOTTATT"}}"#.utf8)

            _ = try await a.send(sbdJSON: sbd, receiver: receiver, container: { sink in try sink(container) },
                                 receiverCertificateDER: receiverIdentity.certificateDER)
            _ = try await a.send(sbdJSON: status, receiver: receiver, container: nil, receiverCertificateDER: nil)

            let received = Mutex<[(Data, Data?)]>([])
            let outcomes = try await b.receiveOnce { transfer in
                let asic = try transfer.encryptedAsic.map { try CMS.decrypt(try $0.data(), with: try receiverIdentity.keystoreEntry()) }
                received.withLock { $0.append((transfer.sbdJSON, asic)) }
                return .stored
            }
            #expect(outcomes.map(\.disposition) == [.stored, .stored])
            let messages = received.withLock { $0 }
            #expect(messages.count == 2)
            #expect(messages.first?.0 == sbd)
            #expect(messages.first?.1 == container)
            #expect(messages.last?.0 == status)
            #expect(messages.last?.1 == nil)
            #expect(try await b.receiveOnce { _ in .stored }.isEmpty)
            #expect(try await a.receiveOnce { _ in .stored }.isEmpty) // the sender does not receive its own sends
        }
    }

    @Test("a handler failure leaves the transfer for the next round; a broken transfer file is confirmed and dropped")
    func failuresAndRejections() async throws {
        try await withSandbox { network, scratch in
            let a = try Self.transport(network, sender, scratch)
            let b = try Self.transport(network, receiver, scratch)
            _ = try await a.send(sbdJSON: Data("{}".utf8), receiver: receiver, container: nil, receiverCertificateDER: nil)
            struct StorageDown: Error {}
            let first = try await b.receiveOnce { _ in throw StorageDown() }
            #expect(first.count == 1)
            #expect(first.first?.disposition == nil)
            let second = try await b.receiveOnce { _ in .duplicate }
            #expect(second.first?.disposition == .duplicate)

            // A transfer that is not a ZIP at all.
            let junk = scratch.file("junk")
            try Data("junk".utf8).write(to: junk)
            let id = try await a.broker.initializeFileTransfer(recipient: receiver, sendersFileTransferReference: UUID().uuidString)
            try await a.broker.upload(fileTransferID: id, contentsOf: junk)
            let third = try await b.receiveOnce { _ in .stored }
            guard case .rejected? = third.first?.disposition else {
                Issue.record("expected a rejection, got \(third)")
                return
            }
            #expect(network.broker.transferStatuses[id]?.status == "AllConfirmedDownloaded")
        }
    }

    @Test("the polling loop picks up a message and survives a failing round until cancelled")
    func pollingLoop() async throws {
        try await withSandbox { network, scratch in
            let a = try Self.transport(network, sender, scratch)
            let b = try Self.transport(network, receiver, scratch)
            let received = Mutex<[Data]>([])
            network.broker.failNext(.list, count: 1, statusCode: 503)
            let poller = Task { await b.poll(every: .milliseconds(50)) { transfer in
                received.withLock { $0.append(transfer.sbdJSON) }
                return .stored
            } }
            defer { poller.cancel() }
            _ = try await a.send(sbdJSON: Data("{\"n\":1}".utf8), receiver: receiver, container: nil, receiverCertificateDER: nil)
            let deadline = ContinuousClock.now + .seconds(20)
            while received.withLock({ $0.isEmpty }) && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(received.withLock { $0 } == [Data("{\"n\":1}".utf8)])
            poller.cancel()
            await poller.value
        }
    }

    @Test("transfers whose reference looks like a message channel are left to that channel's integration point")
    func messageChannelFilter() async throws {
        try await withSandbox { network, scratch in
            let a = try Self.transport(network, sender, scratch)
            let plain = try Self.transport(network, receiver, scratch)
            let channelled = DPOTransport(broker: try AltinnBrokerClientTests.broker(network, receiver), temporaryDirectory: scratch.url,
                                          messageChannel: "arkiv-2")
            _ = try await a.send(sbdJSON: Data("{}".utf8), receiver: receiver, container: nil, receiverCertificateDER: nil,
                                 sendersFileTransferReference: "arkiv-2")
            #expect(try await plain.receiveOnce { _ in .stored }.isEmpty)
            #expect(try await channelled.receiveOnce { _ in .stored }.count == 1)
        }
    }
}
