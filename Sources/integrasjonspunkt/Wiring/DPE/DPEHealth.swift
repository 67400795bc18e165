import Engine
import Foundation

/// `dpe` in `/manage/health`: DOWN when the last round at our queue was refused for the key (a wrong or missing
/// shared access key needs a person: nothing arrives and nothing can be sent); UP otherwise, with the last error
/// of a round that failed for another reason (the bus unreachable), as that passes by itself.
struct DPEHealth: HealthContributor {
    let name = "dpe"
    let board: DPEStatusBoard
    let namespace: String
    let queue: String

    func check() async -> HealthService.Report.Component {
        var details = ["namespace": namespace, "queue": queue]
        guard let round = board.lastRound else {
            details["lastPoll"] = "not yet"
            return .init(status: "UP", details: details)
        }
        details["lastPoll"] = ISO8601DateFormatter().string(from: round.at)
        guard let error = round.error else { return .init(status: "UP", details: details) }
        details["error"] = error
        return .init(status: round.keyRefused ? "DOWN" : "UP", details: details)
    }
}
