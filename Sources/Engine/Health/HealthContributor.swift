/// One component of `/manage/health` beyond the database: its name in the report and its check.
/// A component whose status is "DOWN" makes the whole report DOWN (503).
public protocol HealthContributor: Sendable {
    var name: String { get }
    func check() async -> HealthService.Report.Component
}
