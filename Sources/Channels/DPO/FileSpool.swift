import Foundation

/// Writes an async byte stream to a private temporary file (mode 0600), for sources that the synchronous
/// ASiC writer reads as files — e.g. the engine's decrypted `DeliveryFile` streams. The caller deletes the file.
public enum FileSpool {
    public static func write<Bytes: AsyncSequence>(_ stream: Bytes, to url: URL) async throws where Bytes.Element == [UInt8] {
        guard FileManager.default.createFile(atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: url.path])
        }
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        for try await chunk in stream {
            try handle.write(contentsOf: chunk)
        }
    }
}
