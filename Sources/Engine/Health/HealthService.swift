import Foundation
import Model
import Storage

/// What `/manage/health` reports: the database, and the depth of the queues.
public struct HealthService: Sendable {
    let store: any MessageStore
    /// Further components (disk space, certificate, …), checked after the database.
    public var contributors: [any HealthContributor]

    public init(store: any MessageStore, contributors: [any HealthContributor] = []) {
        self.store = store
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
        guard await store.ping() else {
            return Report(status: "DOWN", components: [
                "db": .init(status: "DOWN", details: ["error": "The database does not answer; check the disk and the file permissions of the working folder, or the PostgreSQL server."]),
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
        var status = "UP"
        for contributor in contributors {
            let component = await contributor.check()
            components[contributor.name] = component
            if component.status == "DOWN" { status = "DOWN" }
        }
        return Report(status: status, components: components)
    }
}
