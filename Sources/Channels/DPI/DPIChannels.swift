import Foundation
import Synchronization

/// The corner-2 channels ("kanal", the upstream's MPC ids) this integration point sends on and polls receipts from:
/// `mpcIdListe`, or `mpcId`, or `mpcId-0` … `mpcId-(N-1)` for `mpcConcurrency` N. Sends go round-robin.
public final class DPIChannels: Sendable {
    /// The channel names as corner 2 takes them (`.` replaced by `_`).
    public let names: [String]
    private let counter = Atomic<Int>(0)

    /// - Parameter configured: the configuration's channel list (`IntegrasjonspunktConfiguration.DPI.channels`).
    public init(_ configured: [String]) {
        let normalised = configured.map(Self.normalise)
        names = normalised.isEmpty ? ["no_difi_move_integrasjonspunkt"] : normalised
    }

    /// The channel for the next send.
    public func next() -> String {
        let index = counter.wrappingAdd(1, ordering: .relaxed).oldValue
        return names[((index % names.count) + names.count) % names.count]
    }

    /// Corner 2 channel names have no dots: the production mpcId `no.difi.move.integrasjonspunkt` becomes
    /// `no_difi_move_integrasjonspunkt`.
    public static func normalise(_ mpcID: String) -> String {
        mpcID.replacingOccurrences(of: ".", with: "_")
    }
}
