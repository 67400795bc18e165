import ArgumentParser
import Foundation
import Storage

/// `integrasjonspunkt backup --to FOLDER`: a consistent copy of the embedded store while the integration point runs.
struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the embedded database and the payload files to a folder, while the integration point runs.",
        discussion: """
        Run it in the integration point's working directory. The database is copied with SQLite's online backup \
        (one consistent snapshot; the running integration point keeps working), the payload folder before and \
        after it. Keep integrasjonspunkt-local.properties and the keystore safe as well: payload files are \
        encrypted to the organisation's certificate. For PostgreSQL use pg_dump (see the README).
        """)

    @Option(name: .long, help: "A new or empty folder for the backup.")
    var to: String

    @Option(name: .long, help: "The database file (difi.datasource.url).")
    var database: String = StoreBackup.databaseName

    @Option(name: .long, help: "The payload folder (difi.move.nextmove.filedir).")
    var filedir: String = StoreBackup.payloadFolderName

    func run() throws {
        let here = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let destination = URL(fileURLWithPath: to, relativeTo: here).standardizedFileURL
        do {
            let summary = try StoreBackup.backup(
                databasePath: URL(fileURLWithPath: database, relativeTo: here).path,
                payloadFolder: URL(fileURLWithPath: filedir, relativeTo: here), to: destination,
                version: BuildInfo.versionLine)
            say("Backed up to \(destination.path): database \(summary.databaseBytes) bytes, \(summary.payloadFiles) payload files (\(summary.payloadBytes) bytes).")
        } catch let problem as StoreBackup.Problem {
            FileHandle.standardError.write(Data("\(problem)\n".utf8))
            throw ExitCode(1)
        }
    }
}

/// `integrasjonspunkt restore --from FOLDER`: puts a backup back into an empty working directory.
struct RestoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Put a backup made by `integrasjonspunkt backup` back into this (empty) working directory.",
        discussion: """
        Refuses when the working directory already has a database or payload files. Configuration files, the \
        keystore and logs may be there already. Start the integration point afterwards as usual.
        """)

    @Option(name: .long, help: "The folder `integrasjonspunkt backup --to` made.")
    var from: String

    @Option(name: .long, help: "Where the database goes (difi.datasource.url).")
    var database: String = StoreBackup.databaseName

    @Option(name: .long, help: "Where the payload files go (difi.move.nextmove.filedir).")
    var filedir: String = StoreBackup.payloadFolderName

    func run() throws {
        let here = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let source = URL(fileURLWithPath: from, relativeTo: here).standardizedFileURL
        do {
            let summary = try StoreBackup.restore(
                from: source, databasePath: URL(fileURLWithPath: database, relativeTo: here).path,
                payloadFolder: URL(fileURLWithPath: filedir, relativeTo: here))
            say("Restored from \(source.path): database \(summary.databaseBytes) bytes, \(summary.payloadFiles) payload files.")
        } catch let problem as StoreBackup.Problem {
            FileHandle.standardError.write(Data("\(problem)\n".utf8))
            throw ExitCode(1)
        }
    }
}
