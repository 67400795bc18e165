import Foundation
import Packaging

/// Looks inside an incoming container before the archive system is offered it, so a container that is damaged,
/// altered, or built to harm the receiver (a zip bomb, entries named `../…`) is refused at the door instead of
/// being handed to the archive system (issue: hardening of incoming containers).
public protocol ContainerCheck: Sendable {
    /// Reads the opened (decrypted) container. Throws `ContainerRefused` when the container must not be offered;
    /// any other error means the check could not run (a full disk, say) and the receive should be tried again.
    func check(_ opened: AsyncThrowingStream<[UInt8], any Error>, messageId: String) async throws
}

/// Why an incoming container was refused, in words for the operator and the status history.
public struct ContainerRefused: Error, Sendable, CustomStringConvertible {
    public let reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}

/// The ASiC-E check: the container must decrypt with our key, unpack within `limits` with only safe entry names,
/// carry a valid CAdES signature over its manifest, match every digest, and have no document outside the
/// signature. The ZIP format needs random access to its central directory, so the decrypted bytes are held: in
/// memory up to `inMemoryLimit`, else in a private temporary file (0600) that is removed before this returns.
public struct AsicContainerCheck: ContainerCheck {
    let temporaryDirectory: URL
    let limits: AsicReader.Limits

    public init(temporaryDirectory: URL, limits: AsicReader.Limits = AsicReader.Limits()) {
        self.temporaryDirectory = temporaryDirectory
        self.limits = limits
    }

    /// Containers up to this size are checked in memory; larger ones go through the temporary file.
    static let inMemoryLimit = 1 << 20

    public func check(_ opened: AsyncThrowingStream<[UInt8], any Error>, messageId: String) async throws {
        try FileManager.default.createDirectory(at: temporaryDirectory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        var file: URL?
        defer { if let file { try? FileManager.default.removeItem(at: file) } }
        let reader: AsicReader
        let verification: AsicReader.Verification
        do {
            switch try await read(opened, spillingTo: { file = try makeTemporaryFile(); return file! }) {
            case .memory(let data): reader = try AsicReader(data: data, limits: limits)
            case .file(let url): reader = try AsicReader(url: url, limits: limits)
            }
            verification = try reader.verify()
        } catch let error as AsicError {
            throw ContainerRefused(error.description)
        }
        if !verification.unsignedDocuments.isEmpty {
            throw ContainerRefused("The container holds documents its signature does not cover ("
                + verification.unsignedDocuments.joined(separator: ", ") + "); their origin cannot be trusted.")
        }
        if reader.documents.isEmpty {
            throw ContainerRefused("The container holds no documents.")
        }
    }

    private enum Opened {
        case memory(Data)
        case file(URL)
    }

    private func makeTemporaryFile() throws -> URL {
        let file = temporaryDirectory.appendingPathComponent("check-\(UUID().uuidString.lowercased()).asic")
        guard FileManager.default.createFile(atPath: file.path, contents: nil, attributes: [.posixPermissions: 0o600])
        else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: file.path]) }
        return file
    }

    /// Decrypts into memory while the container is small, else into a temporary file from `spill`; refuses a
    /// container larger than the limit for all entries together.
    private func read(_ opened: AsyncThrowingStream<[UInt8], any Error>,
                      spillingTo spill: () throws -> URL) async throws -> Opened {
        var memory = Data()
        var handle: FileHandle?
        var url: URL?
        defer { try? handle?.close() }
        var written: UInt64 = 0
        do {
            for try await chunk in opened {
                written += UInt64(chunk.count)
                if written > limits.maximumTotalSize {
                    throw ContainerRefused("The container is larger than \(limits.maximumTotalSize) bytes, the limit "
                        + "for incoming containers.")
                }
                if let handle {
                    try handle.write(contentsOf: chunk)
                } else if memory.count + chunk.count <= Self.inMemoryLimit {
                    memory.append(contentsOf: chunk)
                } else {
                    let file = try spill()
                    let opened = try FileHandle(forWritingTo: file)
                    handle = opened
                    url = file
                    try opened.write(contentsOf: memory)
                    try opened.write(contentsOf: chunk)
                    memory = Data()
                }
            }
        } catch let error as CMSError {
            throw ContainerRefused(error.description)
        }
        if let url { return .file(url) }
        return .memory(memory)
    }
}
