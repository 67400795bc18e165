import AsyncHTTPClient
import Foundation
import Testing
@testable import Channels

/// The upstream's filter on `sendersFileTransferReference`: `^[a-zA-Z0-9-_]{0,25}$` is a message channel.
@Suite("Which transfers a DPO integration point takes, by their reference")
struct DPOMessageChannelFilterTests {
    static func transport(channel: String?) -> DPOTransport {
        let broker = AltinnBrokerClient(configuration: .init(brokerServiceURL: "http://127.0.0.1:1/broker/api/v1", organisationNumber: "910077473"),
                                        httpClient: .shared, tokens: StaticAccessToken("x"))
        return DPOTransport(broker: broker, messageChannel: channel)
    }

    @Test(arguments: [("arkiv-2", false), ("A_b-9", false), ("", false), (String(repeating: "x", count: 25), false),
                      (String(repeating: "x", count: 26), true), ("9a1c2e5e-3d6f-4b8a-9c0d-1e2f3a4b5c6d", true),
                      ("arkiv 2", true), ("arkiv.2", true), ("æøå", true)])
    func withoutChannel(reference: String, taken: Bool) {
        #expect(Self.transport(channel: nil).accepts(reference: reference) == taken)
    }

    @Test func withChannel() {
        let transport = Self.transport(channel: "arkiv-2")
        #expect(transport.accepts(reference: "arkiv-2"))
        #expect(!transport.accepts(reference: "arkiv-3"))
        #expect(!transport.accepts(reference: nil))
        #expect(Self.transport(channel: nil).accepts(reference: nil))
    }
}
