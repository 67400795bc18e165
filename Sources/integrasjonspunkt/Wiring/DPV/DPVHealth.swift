import AsyncHTTPClient
import Channels
import Engine
import Foundation
import Logging
import Synchronization

/// `difi.move.dpv.health-check-url` as a `/manage/health` component (`dpv`): DOWN with the reason while Altinn
/// cannot be reached. Unlike upstream, start-up does not stop: the problem shows in health and `doctor`, and DPV
/// messages wait in the outbox until Altinn answers. The answer is kept for 30 seconds so health probes do not
/// hammer Altinn.
final class DPVHealth: HealthContributor, Sendable {
    let name = "dpv"
    let url: String
    let httpClient: HTTPClient
    private let cached = Mutex<(at: Date, component: HealthService.Report.Component)?>(nil)

    init(url: String, httpClient: HTTPClient) {
        self.url = url
        self.httpClient = httpClient
    }

    func check() async -> HealthService.Report.Component {
        if let cached = cached.withLock({ $0 }), Date().timeIntervalSince(cached.at) < 30 { return cached.component }
        let component: HealthService.Report.Component
        do {
            try await AltinnCorrespondenceClient.checkHealth(url: url, httpClient: httpClient)
            component = .init(status: "UP", details: ["healthCheckUrl": url])
        } catch {
            component = .init(status: "DOWN", details: [
                "healthCheckUrl": url,
                "error": "\(error). DPV messages wait in the outbox until Altinn answers; check difi.move.dpv.health-check-url, the proxy and the firewall.",
            ])
        }
        cached.withLock { $0 = (Date(), component) }
        return component
    }

    /// The start-up check: logs the outcome; never stops the start.
    func checkAtStartup(logger: Logger) {
        Task {
            let component = await check()
            if component.status == "UP" {
                logger.info("DPV: Altinn answers at \(url).")
            } else {
                logger.warning("DPV: Altinn cannot be reached at \(url): \(component.details?["error"] ?? "")")
            }
        }
    }
}
