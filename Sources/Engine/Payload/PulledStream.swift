import Foundation
import Synchronization

/// Builds byte streams that are pulled, never pushed: each chunk is read from the source only when the consumer
/// asks for the next one. Memory stays at one chunk however large the payload, and a slow disk slows the
/// network read instead of filling a buffer.
enum PulledStream {
    /// A stream whose chunks are `transform(chunk)` of `source`, followed by `finish()` at the end. Empty outputs
    /// are skipped.
    static func map<S: AsyncSequence & Sendable>(
        _ source: S,
        transform: @escaping @Sendable ([UInt8]) throws -> [UInt8],
        finish: @escaping @Sendable () throws -> [UInt8] = { [] }
    ) -> AsyncThrowingStream<[UInt8], any Error> where S.Element == [UInt8] {
        let cursor = Cursor(source.makeAsyncIterator())
        return AsyncThrowingStream(unfolding: {
            while let next = try await cursor.next() {
                let output = try transform(next)
                if !output.isEmpty { return output }
            }
            guard cursor.markFinished() else { return nil }
            let tail = try finish()
            return tail.isEmpty ? nil : tail
        })
    }

    /// Holds the source iterator; `AsyncThrowingStream(unfolding:)` calls it one at a time.
    final class Cursor<I: AsyncIteratorProtocol>: @unchecked Sendable where I.Element == [UInt8] {
        private var iterator: I
        private var exhausted = false
        private var finished = false

        init(_ iterator: I) {
            self.iterator = iterator
        }

        func next() async throws -> [UInt8]? {
            if exhausted { return nil }
            guard let chunk = try await iterator.next() else {
                exhausted = true
                return nil
            }
            return chunk
        }

        /// True the first time the end is reached, so the tail is emitted once.
        func markFinished() -> Bool {
            defer { finished = true }
            return !finished
        }
    }
}
