import Foundation
import Model
import Storage

/// What `/manage/health` reports: the database, and the depth of the queues.
public struct HealthService: Sendable {
    let store: any MessageStore
    /// The retention of finished conversations, shown beside the oldest kept one; nil leaves the component out.
    let retention: TimeInterval?
    /// Further components (disk space, certificate, …), checked after the database.
    public var contributors: [any HealthContributor]

    public init(store: any MessageStore, retention: TimeInterval? = nil, contributors: [any HealthContributor] = []) {
        self.store = store
        self.retention = retention
        self.contributors = contributors
    }

    public struct Report: Sendable, Encodable {
        public var status: String
        public var components: [String: Component]

        public struct Component: Sendable, Encodable {
            public var status: String
            public var details: [String: String]?

            public init(status: String, details: [String: String]? = nil) {
                self.status = status
                self.details = details
            }
        }
    }

    public func check() async -> Report {
        if let problem = await store.healthProblem() {
            return Report(status: "DOWN", components: [
                "db": .init(status: "DOWN", details: ["error": problem]),
            ])
        }
        let counts = try? await store.read { tx in
            (try tx.countMessages(direction: .OUTGOING), try tx.countMessages(direction: .INCOMING), try tx.countJobs())
        }
        var components: [String: Report.Component] = ["db": .init(status: "UP", details: nil)]
        if let counts {
            components["nextMoveQueue"] = .init(status: "UP", details: [
                "outgoing": "\(counts.0)", "incoming": "\(counts.1)", "outbox": "\(counts.2)",
            ])
        }
        if let retention, let housekeeping = await housekeeping(retention: retention) {
            components["housekeeping"] = housekeeping
        }
        var status = "UP"
        for contributor in contributors {
            let component = await contributor.check()
            components[contributor.name] = component
            if component.status == "DOWN" { status = "DOWN" }
        }
        return Report(status: status, components: components)
    }

    /// The oldest conversation kept and the retention that will remove it once finished.
    private func housekeeping(retention: TimeInterval) async -> Report.Component? {
        let oldest: Date?
        do {
            oldest = try await store.read { tx in try tx.oldestConversationUpdate() }
        } catch {
            return nil
        }
        var details = ["statusRetentionDays": "\(Int(retention / 86_400))"]
        details["oldestConversation"] = oldest.map { OsloTime.format($0) } ?? "none"
        return .init(status: "UP", details: details)
    }
}
