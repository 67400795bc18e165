import Foundation
import Synchronization

/// Content-encryption keys this process has already unwrapped (or wrapped itself), by their RSA-encrypted form.
///
/// Opening EnvelopedData costs one RSA private-key operation to unwrap its content key — with a 3072-bit key about
/// as much CPU as everything else an integration point does for a small message. The same stored file is opened
/// more than once (a send reads its arkivmelding.xml back, the outbox reads every file; an incoming container is
/// checked, then popped), and the files we encrypt at rest we wrapped ourselves a moment earlier. The unwrapped key
/// is a deterministic function of the encrypted key, its algorithm and our private key, so remembering it changes
/// no result. At most `capacity` keys are kept, the oldest forgotten first; they never leave memory, where the
/// private key that unwraps them lives too.
public final class ContentKeyCache: Sendable {
    public let capacity: Int
    private let state = Mutex(State())

    private struct State {
        var keys: [[UInt8]: [UInt8]] = [:]
        var order: [[UInt8]] = []
        var oldest = 0
    }

    public init(capacity: Int = 4096) {
        self.capacity = max(capacity, 1)
    }

    /// The content key behind `encryptedKey` under the key-transport `algorithm` (its DER), if known.
    public func key(encryptedKey: [UInt8], algorithm: some Collection<UInt8>) -> [UInt8]? {
        let id = Self.id(encryptedKey, algorithm)
        return state.withLock { $0.keys[id] }
    }

    /// Remembers `key` as the content key behind `encryptedKey`, forgetting the oldest when full.
    public func remember(_ key: [UInt8], encryptedKey: [UInt8], algorithm: some Collection<UInt8>) {
        let id = Self.id(encryptedKey, algorithm)
        state.withLock { state in
            guard state.keys.updateValue(key, forKey: id) == nil else { return }
            if state.order.count < capacity {
                state.order.append(id)
            } else {
                state.keys[state.order[state.oldest]] = nil
                state.order[state.oldest] = id
                state.oldest = (state.oldest + 1) % capacity
            }
        }
    }

    public var count: Int { state.withLock { $0.keys.count } }

    private static func id(_ encryptedKey: [UInt8], _ algorithm: some Collection<UInt8>) -> [UInt8] {
        Array(algorithm) + encryptedKey
    }
}
