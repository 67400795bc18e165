import Foundation

extension StoreTransaction {
    public func outgoingWithFiles(messageId: String) throws -> (OutgoingMessageRecord, [StoredFileRecord])? {
        guard let message = try outgoing(messageId: messageId) else { return nil }
        return (message, try files(messageId: messageId))
    }
}
