import Channels
import Engine
import Foundation
import Logging
import Model

/// DPI's statuses at corner 2 (`GET messages/out/{id}/statuses`): OPPRETTET → SENDT, SENDT → MOTTATT, FEILET → FEIL.
/// As the upstream, a letter is followed until MOTTATT (or LEVERT from a receipt); the receipts bring the rest.
struct DPIStatusSource: StatusPollingChannel {
    let serviceIdentifier: ServiceIdentifier = .DPI
    let transport: DPITransport
    let logger: Logger

    func pollStatuses(_ conversations: [Conversation]) async throws -> [StatusUpdate] {
        var updates: [StatusUpdate] = []
        var failures = 0
        for conversation in conversations {
            if conversation.hasStatus(.MOTTATT) || conversation.hasStatus(.LEVERT) {
                // A receipt got there first: nothing more to ask corner 2.
                updates.append(StatusUpdate(messageId: conversation.messageId, status: .MOTTATT, stopsPolling: true))
                continue
            }
            do {
                for status in try await transport.statuses(messageId: conversation.messageId) {
                    let meaning = status.meaning
                    updates.append(StatusUpdate(messageId: conversation.messageId, status: meaning.status,
                                                description: meaning.description, at: meaning.at,
                                                stopsPolling: meaning.status == .MOTTATT))
                }
            } catch let error as DPIError where error.status == 404 {
                logger.warning("Corner 2 does not know the DPI letter; asked again later",
                               metadata: ["messageId": "\(conversation.messageId)"])
            } catch {
                failures += 1
                logger.warning("DPI statuses of \(conversation.messageId) could not be read: \(error)")
            }
        }
        if failures > 0, failures == conversations.count {
            throw DPIError.corner2(operation: "statuses", status: nil, detail: "no letter's statuses could be read")
        }
        return updates
    }
}
