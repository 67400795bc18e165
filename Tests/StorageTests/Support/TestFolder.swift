#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Folders for the stores that tests make, under one folder per test process that is removed when the process
/// exits (and, should it have crashed, by the next run).
enum TestFolder {
    private static let base = FileManager.default.temporaryDirectory
        .appendingPathComponent("integrasjonspunkt-storage-tests")

    private static let root: URL = {
        let files = FileManager.default
        for name in (try? files.contentsOfDirectory(atPath: base.path)) ?? [] {
            if let pid = Int32(name), kill(pid, 0) != 0, errno == ESRCH {
                try? files.removeItem(at: base.appendingPathComponent(name))
            }
        }
        let mine = base.appendingPathComponent(String(getpid()))
        try? files.createDirectory(at: mine, withIntermediateDirectories: true)
        atexit {
            try? FileManager.default.removeItem(atPath: FileManager.default.temporaryDirectory
                .appendingPathComponent("integrasjonspunkt-storage-tests/\(getpid())").path)
        }
        return mine
    }()

    /// A new folder path (not yet created) for one test's store.
    static func make(_ prefix: String) -> URL {
        root.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
    }
}
