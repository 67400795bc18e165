import Engine
import Foundation
import Hummingbird

/// `/manage/**`: health (open without credentials) and info.
struct ManageRoutes {
    let health: HealthService
    let info: [String: String]
    var prometheus: (@Sendable () async -> String)?

    func add(to router: Router<some RequestContext>) {
        let group = router.group("manage")
        group.get("health") { _, _ in try await Self.health(health) }
        group.get("health/liveness") { _, _ in JSONResponse.make(["status": "UP"]) }
        group.get("health/readiness") { _, _ in try await Self.health(health) }
        group.get("info") { _, _ in JSONResponse.make(["app": info]) }
        if let prometheus {
            group.get("prometheus") { _, _ in
                let text = await prometheus()
                return JSONResponse.raw(Data(text.utf8), contentType: "text/plain; version=0.0.4; charset=utf-8")
            }
        }
    }

    static func health(_ health: HealthService) async throws -> Response {
        let report = await health.check()
        return JSONResponse.make(report, status: report.status == "UP" ? .ok : .serviceUnavailable)
    }
}
