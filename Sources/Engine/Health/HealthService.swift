import Foundation
import Model
import Storage

/// What `/manage/health` reports: the database, and the depth of the queues.
public struct HealthService: Sendable {
    let store: any MessageStore
    /// The retention of finished conversations, shown beside the oldest kept one; nil leaves the component out.
    let retention: TimeInterval?

    public init(store: any MessageStore, retention: TimeInterval? = nil) {
        self.store = store
        self.retention = retention
    }

    public struct Report: Sendable, Encodable {
        public var status: String
        public var components: [String: Component]

        public struct Component: Sendable, Encodable {
            public var status: String
            public var details: [String: String]?
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
        if let retention, let housekeeping = await housekeeping(retention: retention) {
            components["housekeeping"] = housekeeping
        }
        return Report(status: "UP", components: components)
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
