import Engine
import Foundation
import HTTPAPI
import HTTPTypes
import NIOCore
import Hummingbird
import HummingbirdTesting
import Operations
import Storage
import Testing
import TestSupport

/// The value of the first sample of `metric` whose labels include all of `labels`; 0 when there is none.
func sample(_ text: String, _ metric: String, _ labels: [String: String] = [:]) -> Double {
    for line in text.split(separator: "\n") where line.hasPrefix(metric + "{") || line.hasPrefix(metric + " ") {
        let matches = labels.allSatisfy { line.contains("\($0.key)=\"\($0.value)\"") }
        if matches, let value = line.split(separator: " ").last.flatMap({ Double($0) }) { return value }
    }
    return 0
}

@Suite("Metrics and health over the API")
struct MetricsAndHealthTests {
    static let user = "ip-user"
    static let password = "s3cret-pass"
    static var auth: HTTPFields {
        [.authorization: "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()]
    }

    func api(_ engine: EngineFixture, contributors: [any HealthContributor] = []) -> NextMoveAPI {
        let registry = OperationsMetrics.bootstrap()
        var api = NextMoveAPI(
            outgoing: engine.outgoing, incoming: engine.incoming, statuses: StatusService(store: engine.store),
            conversations: ConversationService(store: engine.store), subscriptions: engine.subscriptions,
            health: HealthService(store: engine.store, contributors: contributors),
            info: ["name": "integrasjonspunkt", "version": "test"],
            security: .init(enabled: true, username: Self.user, password: Self.password), time: engine.time)
        let store = engine.store
        let time = engine.time
        api.prometheus = { await OperationsMetrics.scrape(registry: registry, store: store, now: time.now) }
        return api
    }

    @Test("/manage/prometheus needs credentials, and counts a sent message, the outbox and HTTP requests")
    func prometheusCountsASend() async throws {
        let engine = try EngineFixture()
        let app = Application(router: api(engine).router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let open = try await client.execute(uri: "/manage/prometheus", method: .get)
            #expect(open.status == .unauthorized)

            let before = String(buffer: try await client.execute(uri: "/manage/prometheus", method: .get, headers: Self.auth).body)
            let sentBefore = sample(before, "ip_messages_total", ["channel": "DPO", "status": "SENDT", "direction": "OUTGOING"])

            _ = try await engine.createAndSend()
            let queued = try await client.execute(uri: "/manage/prometheus", method: .get, headers: Self.auth)
            #expect(queued.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
            let queuedText = String(buffer: queued.body)
            #expect(sample(queuedText, "ip_outbox_jobs") >= 1, "\(queuedText)")
            #expect(queuedText.contains("ip_outbox_oldest_job_age_seconds"))

            try await engine.worker.runOnce()
            let after = String(buffer: try await client.execute(uri: "/manage/prometheus", method: .get, headers: Self.auth).body)
            let sentAfter = sample(after, "ip_messages_total", ["channel": "DPO", "status": "SENDT", "direction": "OUTGOING"])
            #expect(sentAfter >= sentBefore + 1, "SENDT went from \(sentBefore) to \(sentAfter)")
            #expect(sample(after, "ip_messages_total", ["status": "OPPRETTET"]) >= 1)
            #expect(sample(after, "ip_channel_call_duration_seconds_count", ["channel": "DPO", "outcome": "success"]) >= 1)
            #expect(sample(after, "ip_outbox_jobs") == 0)
            #expect(sample(after, "http_server_requests_total", ["http_route": "/manage/prometheus", "http_response_status_code": "200"]) >= 2,
                    "\(after.split(separator: "\n").filter { $0.contains("http_server") }.joined(separator: "\n"))")
            #expect(sample(after, "http_server_requests_total", ["http_response_status_code": "401"]) >= 1)
        }
    }

    @Test("/manage/health is open and lists its components; an expired certificate makes it DOWN (503)")
    func health() async throws {
        let engine = try EngineFixture()
        let now = engine.time.now
        let good = api(engine, contributors: [
            DiskSpaceHealth(path: FileManager.default.temporaryDirectory.path),
            OutboxHealth(store: engine.store, now: { now }),
            CertificateHealth(subject: "CN=test", notBefore: now.addingTimeInterval(-86400),
                              notAfter: now.addingTimeInterval(90 * 86400), now: { now }),
        ])
        try await Application(router: good.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0))).test(.live) { client in
            let response = try await client.execute(uri: "/manage/health", method: .get)
            #expect(response.status == .ok)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8)) as? [String: Any])
            let components = try #require(object["components"] as? [String: Any])
            #expect(Set(components.keys).isSuperset(of: ["db", "diskSpace", "outbox", "certificate", "nextMoveQueue"]))
            let certificate = try #require(components["certificate"] as? [String: Any])
            #expect((certificate["details"] as? [String: String])?["daysLeft"] == "90")
        }
        let expired = api(engine, contributors: [
            CertificateHealth(subject: "CN=test", notBefore: now.addingTimeInterval(-90 * 86400),
                              notAfter: now.addingTimeInterval(-60), now: { now }),
        ])
        try await Application(router: expired.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0))).test(.live) { client in
            let response = try await client.execute(uri: "/manage/health", method: .get)
            #expect(response.status == .serviceUnavailable)
            #expect(String(buffer: response.body).contains("expired"))
        }
    }

    @Test("Disk space below the threshold is DOWN")
    func diskSpace() async {
        let low = await DiskSpaceHealth(path: FileManager.default.temporaryDirectory.path, threshold: Int64.max).check()
        #expect(low.status == "DOWN")
        let missing = await DiskSpaceHealth(path: "/nonexistent/folder").check()
        #expect(missing.status == "DOWN")
    }
}
