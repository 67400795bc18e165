import Foundation
import Metrics
import Prometheus
import Storage
import Synchronization

/// The process's metrics backend: swift-metrics bootstrapped once with a Prometheus registry. `/manage/prometheus`
/// renders the registry in the Prometheus text format, after refreshing the gauges that are read from the store.
public enum OperationsMetrics {
    private static let bootstrapped = Mutex<PrometheusCollectorRegistry?>(nil)

    /// Bootstraps swift-metrics with Prometheus (once per process; later calls return the same registry).
    @discardableResult
    public static func bootstrap() -> PrometheusCollectorRegistry {
        bootstrapped.withLock { current in
            if let current { return current }
            let registry = PrometheusCollectorRegistry()
            var factory = PrometheusMetricsFactory(registry: registry)
            factory.nameAndLabelSanitizer = { name, labels in
                (sanitize(name), labels.map { (sanitize($0.0), $0.1) })
            }
            MetricsSystem.bootstrap(factory)
            current = registry
            return registry
        }
    }

    /// Prometheus names allow `[a-zA-Z_:][a-zA-Z0-9_:]*`: `http.server.request.duration` → `http_server_request_duration`.
    /// Hummingbird's request counter `hb.requests` is published as `http_server_requests_total`.
    static func sanitize(_ name: String) -> String {
        if name == "hb.requests" { return "http_server_requests_total" }
        if name == "hb.request.errors" { return "http_server_request_errors_total" }
        var out = ""
        for (index, byte) in name.utf8.enumerated() {
            let letter = (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F || byte == 0x3A
            let digit = byte >= 0x30 && byte <= 0x39
            out.append(letter || (digit && index > 0) ? Character(UnicodeScalar(byte)) : "_")
        }
        return out
    }

    /// What `/manage/prometheus` answers: the queue gauges read from the store now, then every metric.
    public static func scrape(registry: PrometheusCollectorRegistry, store: any MessageStore, now: Date) async -> String {
        await refreshStoreGauges(store: store, now: now)
        return registry.emitToString()
    }

    /// Outbox depth, age of the oldest outbox job, and stored messages per direction.
    public static func refreshStoreGauges(store: any MessageStore, now: Date) async {
        let read = try? await store.read { tx in
            (try tx.countJobs(), try tx.oldestJobCreatedAt(),
             try tx.countMessages(direction: .OUTGOING), try tx.countMessages(direction: .INCOMING))
        }
        guard let read else {
            Gauge(label: "ip_store_up").record(0)
            return
        }
        let (jobs, oldest, outgoing, incoming) = read
        Gauge(label: "ip_store_up").record(1)
        Gauge(label: "ip_outbox_jobs").record(jobs)
        Gauge(label: "ip_outbox_oldest_job_age_seconds").record(oldest.map { max(0, now.timeIntervalSince($0)) } ?? 0)
        Gauge(label: "ip_messages_stored", dimensions: [("direction", "OUTGOING")]).record(outgoing)
        Gauge(label: "ip_messages_stored", dimensions: [("direction", "INCOMING")]).record(incoming)
    }
}
