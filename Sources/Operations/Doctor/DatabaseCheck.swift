import Foundation
import IPConfiguration
import Storage

/// Doctor's database check, for the embedded store and PostgreSQL alike: reachable, the credentials taken, and
/// the migrations current — all without changing the database.
extension Doctor {
    func checkDatabase(_ configuration: IntegrasjonspunktConfiguration) async -> Finding {
        switch configuration.datasource.database {
        case .sqlite(let path):
            return checkEmbeddedDatabase(path: path)
        case .postgreSQL(let url):
            return await checkPostgres(url: url, username: configuration.datasource.username,
                                       password: configuration.datasource.password)
        }
    }

    func checkEmbeddedDatabase(path: String) -> Finding {
        let url = URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        let folder = url.deletingLastPathComponent().path
        guard FileManager.default.fileExists(atPath: url.path) else {
            if FileManager.default.isWritableFile(atPath: folder) {
                return Finding("database", .pass, "SQLite \(path) does not exist yet; it is created at the first start in \(folder), which is writable.")
            }
            return Finding("database", .fail, "SQLite \(path) does not exist and \(folder) is not writable.",
                           remedy: "Run the integration point in a writable working folder, or set difi.datasource.url.")
        }
        guard FileManager.default.isWritableFile(atPath: url.path), FileManager.default.isWritableFile(atPath: folder) else {
            return Finding("database", .fail, "SQLite \(path) or its folder \(folder) is not writable.",
                           remedy: "Give the integration point's user write access to both (the database keeps -wal and -shm files beside it).")
        }
        do {
            return Self.judge(try StoreInspection.sqlite(path: url.path), what: "SQLite \(path)")
        } catch {
            return Finding("database", .fail, "Cannot read SQLite \(path): \(error)",
                           remedy: "Check the disk and the file's permissions; restore from the backup if it is damaged.")
        }
    }

    func checkPostgres(url: String, username: String?, password: String?) async -> Finding {
        let settings: PostgresStoreConfiguration
        do {
            settings = try PostgresStoreConfiguration(url: url, username: username, password: password)
        } catch {
            return Finding("database", .fail, "\(error)", remedy: "Correct difi.datasource.url.")
        }
        do {
            let inspection = try await StoreInspection.postgres(settings)
            return Self.judge(inspection, what: "PostgreSQL at \(settings.location) as '\(settings.username)'")
        } catch StoreError.unavailable(let reason) {
            return Finding("database", .fail, StoreError.unavailable(reason).description,
                           remedy: "Start the server or open the way to it; the integration point keeps trying and reports DOWN meanwhile.")
        } catch {
            return Finding("database", .fail, "\(error)",
                           remedy: "Check difi.datasource.url, difi.datasource.username and difi.datasource.password.")
        }
    }

    /// Reachable (it was read); now the migrations: unknown ones fail, pending ones are applied at the next start.
    static func judge(_ inspection: StoreInspection, what: String) -> Finding {
        var contents = ""
        if let outgoing = inspection.outgoing, let incoming = inspection.incoming, let jobs = inspection.jobs {
            contents = " \(outgoing) outgoing, \(incoming) incoming messages, \(jobs) outbox jobs."
        }
        if !inspection.unknown.isEmpty {
            return Finding("database", .fail, "\(what) answers, but has migrations this version does not know (\(inspection.unknown.joined(separator: ", "))): a newer version has used it.",
                           remedy: "Run the newer version, or restore the backup taken before the upgrade.")
        }
        if inspection.applied.isEmpty {
            return Finding("database", .pass, "\(what) answers and is empty; the tables are created at the first start.")
        }
        if !inspection.pending.isEmpty {
            return Finding("database", .warn, "\(what) answers; migrations \(inspection.pending.joined(separator: ", ")) are not applied yet.\(contents)",
                           remedy: "They are applied at the next start; take a backup first.")
        }
        return Finding("database", .pass, "\(what) answers; migrations current (\(inspection.applied.count)).\(contents)")
    }
}
