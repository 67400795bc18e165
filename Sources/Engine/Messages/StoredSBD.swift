import Foundation
import Model
import Synchronization

/// How SBDs are kept in the store: as the JSON the API shows.
enum StoredSBD {
    static func encode(_ sbd: StandardBusinessDocument) throws -> String {
        String(decoding: sbd.encodedJSON(), as: UTF8.self)
    }

    /// Decodes a stored SBD. The same stored JSON is decoded several times within moments (each upload, the send,
    /// the outbox, peek and delete) and a decode costs more than the rest of such a call, so the last few are kept.
    static func decode(_ json: String) throws -> StandardBusinessDocument {
        if let known = recent.document(for: json) { return known }
        let document = try StandardBusinessDocument.decode(from: Data(json.utf8))
        recent.remember(document, for: json)
        return document
    }

    private static let recent = RecentDocuments(capacity: 64)
}

/// The last `capacity` SBDs decoded, by their JSON text; the oldest goes first.
final class RecentDocuments: Sendable {
    let capacity: Int
    private let state = Mutex(State())

    private struct State {
        var documents: [String: StandardBusinessDocument] = [:]
        var order: [String] = []
        var oldest = 0
    }

    init(capacity: Int) {
        self.capacity = max(capacity, 1)
    }

    func document(for json: String) -> StandardBusinessDocument? {
        state.withLock { $0.documents[json] }
    }

    func remember(_ document: StandardBusinessDocument, for json: String) {
        state.withLock { state in
            guard state.documents.updateValue(document, forKey: json) == nil else { return }
            if state.order.count < capacity {
                state.order.append(json)
            } else {
                state.documents[state.order[state.oldest]] = nil
                state.order[state.oldest] = json
                state.oldest = (state.oldest + 1) % capacity
            }
        }
    }
}
