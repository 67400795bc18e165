import Channels
import Engine
import Foundation
import Logging
import Model

/// DPV's statuses from the correspondence overview (`internals.md` §2.2): published → LEVERT, read → LEST, each
/// with Altinn's own time; purged by the recipient or Altinn, or gone (404/410) → ANNET, and polling stops.
struct DPVStatusSource: StatusPollingChannel {
    let serviceIdentifier: ServiceIdentifier = .DPV
    let arkivmeldingReceiptStatus: ReceiptStatus? = .LEVERT
    let client: AltinnCorrespondenceClient
    let logger: Logger

    func pollStatuses(_ conversations: [Conversation]) async throws -> [StatusUpdate] {
        var updates: [StatusUpdate] = []
        var failures = 0
        for conversation in conversations {
            let messageId = conversation.messageId
            guard let id = conversation.externalSystemReference, !id.isEmpty else {
                // Sent before the correspondence id was kept: nothing to ask Altinn about.
                updates.append(StatusUpdate(messageId: messageId, status: .ANNET,
                                            description: "No Altinn correspondence id is known for this message; its statuses cannot be fetched.",
                                            stopsPolling: true))
                continue
            }
            do {
                updates += try await client.overview(id).events.map {
                    StatusUpdate(messageId: messageId, status: $0.status, description: $0.description, at: $0.at,
                                 stopsPolling: $0.isFinal)
                }
            } catch where error.isGone {
                updates.append(StatusUpdate(messageId: messageId, status: .ANNET,
                                            description: CorrespondenceOverview.goneDescription, stopsPolling: true))
            } catch {
                failures += 1
                logger.warning("DPV status of \(messageId) could not be fetched: \(error)", metadata: ["messageId": "\(messageId)"])
                // Every one failing means Altinn (or the token) is down: leave the batch for the next run.
                if failures == conversations.count { throw error }
            }
        }
        return updates
    }
}
