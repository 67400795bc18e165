import Foundation

extension StoreTransaction {
    public func receivedBefore(messageId: String) throws -> Bool {
        try incoming(messageId: messageId) != nil || conversation(messageId: messageId, direction: .INCOMING) != nil
    }
}
