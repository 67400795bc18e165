import Foundation

/// Asks SvarUt how the DPF messages we sent are doing (`DpfStatusStrategy`, `internals.md` §2.3/§3.4): messages are
/// grouped by sender (each sender has its own SvarUt login or `consumer_org`), a message without a known
/// forsendelseId is looked up by its eksternReferanse (the messageId), and only `LEST` changes anything — delivery
/// (LEVERT) was recorded when SvarUt accepted the forsendelse.
public struct SvarUtStatusChecker: Sendable {
    /// A message being followed.
    public struct Tracked: Sendable, Equatable {
        public var messageId: String
        /// The organisation it was sent for.
        public var sender: String
        /// The id stored at send; nil when it was not stored (sent by an older version, or lost).
        public var forsendelseId: String?

        public init(messageId: String, sender: String, forsendelseId: String?) {
            self.messageId = messageId
            self.sender = sender
            self.forsendelseId = forsendelseId
        }
    }

    public enum Outcome: Sendable, Equatable {
        /// The receiver has read it (SvarUt's `LEST`, with the time of the change when SvarUt gave it).
        case lest(Date?)
        /// SvarUt knows no forsendelse for the message: FEIL "forsendelseId finnes ikke i SvarUt.".
        case unknownAtSvarUt
        /// Nothing new.
        case unchanged
        /// SvarUt could not be asked this time; the message stays followed.
        case failed(String)
    }

    public struct Result: Sendable, Equatable {
        public var messageId: String
        /// The forsendelseId, also when it was only now found by eksternReferanse (store it).
        public var forsendelseId: String?
        public var outcome: Outcome
    }

    /// The upstream's text for a message SvarUt does not know.
    public static let unknownDescription = "forsendelseId finnes ikke i SvarUt."
    /// Ids asked for in one status call.
    static let batchSize = 200

    public let transport: any SvarUtTransport

    public init(transport: any SvarUtTransport) {
        self.transport = transport
    }

    /// One result per tracked message, in the order given.
    public func check(_ tracked: [Tracked]) async -> [Result] {
        var results: [String: Result] = [:]
        for (sender, group) in Dictionary(grouping: tracked, by: \.sender).sorted(by: { $0.key < $1.key }) {
            for result in await check(group, sender: sender) { results[result.messageId] = result }
        }
        return tracked.compactMap { results[$0.messageId] }
    }

    private func check(_ group: [Tracked], sender: String) async -> [Result] {
        var results: [Result] = []
        var byForsendelse: [String: String] = [:]  // forsendelseId → messageId
        for message in group {
            if let id = message.forsendelseId {
                byForsendelse[id] = message.messageId
                continue
            }
            do {
                if let id = try await transport.forsendelseIds(eksternReferanse: message.messageId, sender: sender).first {
                    byForsendelse[id] = message.messageId
                } else {
                    results.append(Result(messageId: message.messageId, forsendelseId: nil, outcome: .unknownAtSvarUt))
                }
            } catch {
                results.append(Result(messageId: message.messageId, forsendelseId: nil, outcome: .failed(error.description)))
            }
        }
        let ids = byForsendelse.keys.sorted()
        for start in stride(from: 0, to: ids.count, by: Self.batchSize) {
            let batch = Array(ids[start..<min(start + Self.batchSize, ids.count)])
            do {
                let statuses = try await transport.statuses(of: batch, sender: sender)
                let lest = Dictionary(statuses.filter(\.isLest).map { ($0.forsendelseId, $0.sisteStatusEndring) },
                                      uniquingKeysWith: { first, _ in first })
                for id in batch {
                    let outcome: Outcome = lest.keys.contains(id) ? .lest(lest[id] ?? nil) : .unchanged
                    results.append(Result(messageId: byForsendelse[id]!, forsendelseId: id, outcome: outcome))
                }
            } catch {
                for id in batch {
                    results.append(Result(messageId: byForsendelse[id]!, forsendelseId: id, outcome: .failed(error.description)))
                }
            }
        }
        return results
    }
}
