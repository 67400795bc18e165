import Engine
import Foundation
import HTTPAPI
import HTTPTypes
import NIOCore
import Hummingbird
import HummingbirdTesting
import Testing
import TestSupport

@Suite("Admin web pages")
struct AdminPagesTests {
    @Test("/ and /conversations need credentials, render server-side, and never show a secret")
    func pages() async throws {
        let engine = try EngineFixture()
        let messageId = try await engine.createAndSend()
        var api = NextMoveAPI(
            outgoing: engine.outgoing, incoming: engine.incoming, statuses: StatusService(store: engine.store),
            conversations: ConversationService(store: engine.store), subscriptions: engine.subscriptions,
            health: HealthService(store: engine.store), info: ["name": "integrasjonspunkt"],
            security: .init(enabled: true, username: MetricsAndHealthTests.user, password: MetricsAndHealthTests.password),
            time: engine.time)
        api.admin = AdminPages(overview: [("Organisation", "910077473"), ("Enabled channels", "DPO")],
                               maskedConfiguration: "difi.move.org.keystore.password=******\ndifi.move.org.number=910077473",
                               startedAt: engine.time.now.addingTimeInterval(-3700))
        let app = Application(router: api.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            #expect(try await client.execute(uri: "/", method: .get).status == .unauthorized)
            #expect(try await client.execute(uri: "/conversations", method: .get).status == .unauthorized)

            let home = try await client.execute(uri: "/", method: .get, headers: MetricsAndHealthTests.auth)
            #expect(home.status == .ok)
            #expect(home.headers[.contentType]?.hasPrefix("text/html") == true)
            let text = String(buffer: home.body)
            #expect(text.contains("910077473") && text.contains("DPO") && text.contains("0 d 1 h 1 min"))
            #expect(!text.contains(MetricsAndHealthTests.password) && !text.contains("<script"))

            let list = try await client.execute(uri: "/conversations", method: .get, headers: MetricsAndHealthTests.auth)
            #expect(String(buffer: list.body).contains(messageId))
            let searched = try await client.execute(uri: "/conversations?q=\(messageId.prefix(8))&direction=OUTGOING",
                                                    method: .get, headers: MetricsAndHealthTests.auth)
            #expect(String(buffer: searched.body).contains(messageId))
            let none = try await client.execute(uri: "/conversations?q=no-such-thing", method: .get,
                                                headers: MetricsAndHealthTests.auth)
            #expect(String(buffer: none.body).contains("0 conversation(s)"))
            let escaped = try await client.execute(uri: "/conversations?q=%3Cb%3Ex", method: .get,
                                                   headers: MetricsAndHealthTests.auth)
            #expect(!String(buffer: escaped.body).contains("<b>x"), "input is HTML-escaped")
        }
    }
}
