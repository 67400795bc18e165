import Channels
import Foundation
import Synchronization

/// What the last DPE polling round found, for the health component: when it ran and, when it failed, why.
final class DPEStatusBoard: Sendable {
    struct Round: Sendable {
        var at: Date
        /// nil when the round went through.
        var error: String?
        /// The bus refused our key, or there is none configured: a person has to act.
        var keyRefused: Bool
    }

    private let last = Mutex<Round?>(nil)

    var lastRound: Round? { last.withLock { $0 } }

    func roundSucceeded(at now: Date) {
        last.withLock { $0 = Round(at: now, error: nil, keyRefused: false) }
    }

    func roundFailed(_ error: any Error, at now: Date) {
        let keyRefused: Bool
        switch error {
        case let error as ServiceBusError:
            keyRefused = error.isUnauthorized || error.detail.contains(MissingSASKey.marker)
        default:
            keyRefused = false
        }
        last.withLock { $0 = Round(at: now, error: "\(error)", keyRefused: keyRefused) }
    }
}
