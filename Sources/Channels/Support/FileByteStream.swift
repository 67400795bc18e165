import Foundation

/// A file's bytes as a stream of chunks, read on demand: how a downloaded container is handed to the engine
/// without holding it in memory.
public enum FileByteStream {
    public static func open(_ url: URL, chunkSize: Int = 256 * 1024) throws -> AsyncThrowingStream<[UInt8], any Error> {
        let handle = try FileHandle(forReadingFrom: url)
        return AsyncThrowingStream(unfolding: {
            guard let data = try handle.read(upToCount: chunkSize), !data.isEmpty else {
                try? handle.close()
                return nil
            }
            return [UInt8](data)
        })
    }
}
