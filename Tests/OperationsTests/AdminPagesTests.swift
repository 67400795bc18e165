import Engine
import Model
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
        let api = self.api(engine, overview: [("Organisation", "910077473"), ("Enabled channels", "DPO")],
                      configuration: "difi.move.org.keystore.password=******\ndifi.move.org.number=910077473",
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
            #expect(text.contains("Health: <span class=\"up\">UP</span>") && text.contains("nextMoveQueue"))
        }
    }

    func api(_ engine: EngineFixture, overview: [(String, String)] = [("Organisation", "910077473")],
             configuration: String = "", startedAt: Date? = nil) -> NextMoveAPI {
        var api = NextMoveAPI(
            outgoing: engine.outgoing, incoming: engine.incoming, statuses: StatusService(store: engine.store),
            conversations: ConversationService(store: engine.store), subscriptions: engine.subscriptions,
            health: HealthService(store: engine.store), info: ["name": "integrasjonspunkt"],
            security: .init(enabled: true, username: MetricsAndHealthTests.user, password: MetricsAndHealthTests.password),
            time: engine.time)
        api.admin = AdminPages(overview: overview, maskedConfiguration: configuration,
                               startedAt: startedAt ?? engine.time.now)
        return api
    }

    @Test("Filters by channel, latest status and date; a conversation's page shows its whole status history")
    func filtersAndHistory() async throws {
        let engine = try EngineFixture()
        let sent = try await engine.createAndSend()
        _ = try await engine.worker.runOnce()
        let app = Application(router: api(engine).router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            func page(_ uri: String) async throws -> String {
                let response = try await client.execute(uri: uri, method: .get, headers: MetricsAndHealthTests.auth)
                #expect(response.status == .ok, "\(uri)")
                return String(buffer: response.body)
            }
            #expect(try await page("/conversations?service=DPO&status=SENDT").contains(sent))
            #expect(try await page("/conversations?status=LEVERT").contains("0 conversation(s)"))
            #expect(try await page("/conversations?service=DPV").contains("0 conversation(s)"))
            let today = OsloTime.format(engine.time.now).prefix(10)
            #expect(try await page("/conversations?from=\(today)&to=\(today)").contains(sent))
            #expect(try await page("/conversations?to=2001-01-01").contains("0 conversation(s)"))
            let badDate = try await page("/conversations?from=yesterday")
            #expect(badDate.contains("From date &#39;yesterday&#39; is not a date") || badDate.contains("From date 'yesterday' is not a date")
                    || badDate.contains("From date &apos;yesterday&apos; is not a date"), "\(badDate)")
            #expect(badDate.contains(sent), "the bad filter is left out, not the whole list")

            let list = try await page("/conversations")
            let link = try #require(list.firstMatch(of: #/href="(/conversations/[0-9]+)"/#)?.output.1)
            let detail = try await page(String(link))
            #expect(detail.contains(sent) && detail.contains("Status history"))
            #expect(detail.contains("<td>OPPRETTET</td>") && detail.contains("<td>SENDT</td>"))
        }
    }

    @Test("Delete asks for confirmation, refuses a form without this page's token, then deletes")
    func deleteWithConfirmation() async throws {
        let engine = try EngineFixture()
        let sent = try await engine.createAndSend()
        let app = Application(router: api(engine).router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let list = String(buffer: try await client.execute(uri: "/conversations", method: .get,
                                                                headers: MetricsAndHealthTests.auth).body)
            let link = String(try #require(list.firstMatch(of: #/href="(/conversations/[0-9]+)"/#)?.output.1))
            let confirm = String(buffer: try await client.execute(uri: link + "/delete", method: .get,
                                                                   headers: MetricsAndHealthTests.auth).body)
            #expect(confirm.contains("Delete this conversation?") && confirm.contains(sent))
            let token = String(try #require(confirm.firstMatch(of: #/name="token" value="([^"]+)"/#)?.output.1))

            var form = MetricsAndHealthTests.auth
            form[.contentType] = "application/x-www-form-urlencoded"
            let forged = try await client.execute(uri: link + "/delete", method: .post, headers: form,
                                                  body: ByteBuffer(string: "token=guess"))
            #expect(forged.status == .forbidden)
            #expect(String(buffer: try await client.execute(uri: link, method: .get, headers: MetricsAndHealthTests.auth).body)
                .contains(sent), "still there")

            let deleted = try await client.execute(uri: link + "/delete", method: .post, headers: form,
                                                   body: ByteBuffer(string: "token=\(token)"))
            #expect(deleted.status == .seeOther)
            #expect(deleted.headers[.location] == "/conversations?deleted=\(sent)")
            #expect(try await client.execute(uri: link, method: .get, headers: MetricsAndHealthTests.auth).status == .notFound)
            let after = String(buffer: try await client.execute(uri: "/conversations?deleted=\(sent)", method: .get,
                                                                 headers: MetricsAndHealthTests.auth).body)
            #expect(after.contains("was deleted") && after.contains("0 conversation(s)"))
        }
    }
}
