#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The few POSIX file calls the payload store needs, with `errno` turned into errors that name the path.
enum POSIXFile {
    struct Failure: Error, CustomStringConvertible {
        let operation: String
        let path: String
        let code: Int32
        var description: String { "\(operation) \(path) failed: \(String(cString: strerror(code)))" }
    }

    static func openFile(_ path: String, _ flags: Int32, mode: mode_t = 0o600) throws -> Int32 {
        let fd = retryingOnInterrupt { Int(open(path, flags | O_CLOEXEC, mode)) }
        guard fd >= 0 else { throw Failure(operation: "open", path: path, code: errno) }
        return Int32(fd)
    }

    /// Writes all of `bytes`, continuing after short writes.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws {
        var offset = 0
        try bytes.withUnsafeBytes { buffer in
            while offset < buffer.count {
                let written = retryingOnInterrupt {
                    write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                }
                guard written > 0 else { throw Failure(operation: "write", path: path, code: errno) }
                offset += written
            }
        }
    }

    /// Reads up to `count` bytes; an empty array means end of file.
    static func readChunk(_ fd: Int32, count: Int, path: String) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        let got = bytes.withUnsafeMutableBytes { buffer in
            retryingOnInterrupt { read(fd, buffer.baseAddress!, count) }
        }
        guard got >= 0 else { throw Failure(operation: "read", path: path, code: errno) }
        bytes.removeLast(count - got)
        return bytes
    }

    /// Flushes the file (or folder) to stable storage.
    static func syncFile(_ fd: Int32, path: String) throws {
        guard retryingOnInterrupt({ Int(fsync(fd)) }) == 0 else {
            throw Failure(operation: "fsync", path: path, code: errno)
        }
    }

    /// Flushes a folder, making the names created or renamed in it durable.
    static func syncFolder(_ path: String) throws {
        let fd = try openFile(path, O_RDONLY | O_DIRECTORY)
        defer { close(fd) }
        try syncFile(fd, path: path)
    }

    /// Removes a file; false when there was none.
    static func removeFile(_ path: String) throws -> Bool {
        if unlink(path) == 0 { return true }
        if errno == ENOENT { return false }
        throw Failure(operation: "unlink", path: path, code: errno)
    }

    /// Removes a folder and the files in it; false when there was no folder. A folder inside it (which the payload
    /// store never makes) is left to `FileManager`.
    static func removeFlatFolder(_ path: String) throws -> Bool {
        guard let directory = opendir(path) else {
            if errno == ENOENT { return false }
            throw Failure(operation: "opendir", path: path, code: errno)
        }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { names.append(name) }
        }
        closedir(directory)
        for name in names where unlink(path + "/" + name) != 0 && errno != ENOENT {
            if errno == EISDIR || errno == EPERM {
                try FileManager.default.removeItem(atPath: path)
                return true
            }
            throw Failure(operation: "unlink", path: path + "/" + name, code: errno)
        }
        if rmdir(path) != 0 && errno != ENOENT { throw Failure(operation: "rmdir", path: path, code: errno) }
        return true
    }

    static func renameFile(_ from: String, _ to: String) throws {
        guard rename(from, to) == 0 else { throw Failure(operation: "rename", path: to, code: errno) }
    }

    private static func retryingOnInterrupt(_ call: () -> Int) -> Int {
        while true {
            let result = call()
            if result >= 0 || errno != EINTR { return result }
        }
    }
}
