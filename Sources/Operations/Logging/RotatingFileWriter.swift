import Foundation
import Synchronization

/// Appends lines to a log file and rotates it by size: when the next line would take the file past `maxBytes`,
/// `application.log` becomes `application.log.1`, `.1` becomes `.2`, and so on; the oldest beyond `keep` is removed.
/// Writes are serialised; a write that fails is dropped (logging must never stop the integration point).
public final class RotatingFileWriter: Sendable {
    public let url: URL
    public let maxBytes: Int64
    public let keep: Int

    private struct State {
        var handle: FileHandle?
        var size: Int64 = 0
    }
    private let state = Mutex(State())

    public init(path: String, maxBytes: Int64 = 10 * 1024 * 1024, keep: Int = 7) throws {
        let url = URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            .standardizedFileURL
        self.url = url
        self.maxBytes = max(1024, maxBytes)
        self.keep = max(1, keep)
        let (handle, size) = try Self.open(url)
        state.withLock { $0 = State(handle: handle, size: size) }
    }

    deinit {
        state.withLock { try? $0.handle?.close() }
    }

    public func write(line: String) {
        let data = Data((line + "\n").utf8)
        state.withLock { state in
            if state.size > 0, state.size + Int64(data.count) > maxBytes {
                try? state.handle?.close()
                state.handle = nil
                rotate()
                if let opened = try? Self.open(url) {
                    state.handle = opened.0
                    state.size = opened.1
                }
            }
            guard let handle = state.handle else { return }
            do {
                try handle.write(contentsOf: data)
                state.size += Int64(data.count)
            } catch {
                // Disk full or file gone: drop the line rather than fail the caller.
            }
        }
    }

    /// The rotated files that exist, newest first (`application.log.1`, `.2`, …).
    public func rotatedFiles() -> [URL] {
        (1...keep).map { rotated($0) }.filter { FileManager.default.fileExists(atPath: $0.path) }
    }

    private func rotated(_ number: Int) -> URL {
        URL(fileURLWithPath: url.path + ".\(number)")
    }

    private func rotate() {
        let files = FileManager.default
        try? files.removeItem(at: rotated(keep))
        if keep > 1 {
            for number in stride(from: keep - 1, through: 1, by: -1) where files.fileExists(atPath: rotated(number).path) {
                try? files.moveItem(at: rotated(number), to: rotated(number + 1))
            }
        }
        try? files.moveItem(at: url, to: rotated(1))
    }

    private static func open(_ url: URL) throws -> (FileHandle, Int64) {
        let files = FileManager.default
        try files.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        if !files.fileExists(atPath: url.path) {
            guard files.createFile(atPath: url.path, contents: nil) else {
                throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: url.path])
            }
        }
        let handle = try FileHandle(forWritingTo: url)
        let size = try handle.seekToEnd()
        return (handle, Int64(size))
    }
}
