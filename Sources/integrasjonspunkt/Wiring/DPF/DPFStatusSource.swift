import Channels
import Engine
import Foundation
import Model

/// SvarUt's statuses for the DPF messages we sent (`DpfStatusStrategy`): LEST when the receiver has read it, FEIL
/// "forsendelseId finnes ikke i SvarUt." when SvarUt knows neither the stored forsendelseId nor the messageId as
/// eksternRef. On LEST the engine makes up the `arkivmelding_kvittering` when configured.
struct DPFStatusSource: StatusPollingChannel {
    let serviceIdentifier: ServiceIdentifier = .DPF
    let arkivmeldingReceiptStatus: ReceiptStatus? = .LEST
    let checker: SvarUtStatusChecker
    let organisationNumber: String

    func pollStatuses(_ conversations: [Conversation]) async throws -> [StatusUpdate] {
        let tracked = conversations.map {
            SvarUtStatusChecker.Tracked(messageId: $0.messageId, sender: $0.senderIdentifier ?? organisationNumber,
                                        forsendelseId: $0.externalSystemReference)
        }
        let results = await checker.check(tracked)
        var updates: [StatusUpdate] = []
        var failures: [String] = []
        for result in results {
            switch result.outcome {
            case .lest(let at):
                updates.append(StatusUpdate(messageId: result.messageId, status: .LEST, at: at,
                                            externalReference: result.forsendelseId))
            case .unknownAtSvarUt:
                updates.append(StatusUpdate(messageId: result.messageId, status: .FEIL,
                                            description: SvarUtStatusChecker.unknownDescription))
            case .unchanged:
                continue
            case .failed(let reason):
                failures.append(reason)
            }
        }
        if updates.isEmpty, let first = failures.first, failures.count == results.count {
            throw ChannelError.transient(first)
        }
        return updates
    }
}
