import ArgumentParser
import Foundation
import Storage

/// `integrasjonspunkt migrate-store --to URL`: copies the embedded store into an empty PostgreSQL database.
struct MigrateStoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate-store",
        abstract: "Copy the embedded store (database and payloads) into an empty PostgreSQL database.",
        discussion: """
        Stop the integration point first, and run this in its working directory. Copies every message, file, \
        payload, conversation, status, queued status event, outbox job and webhook subscription and delivery, \
        keeping their ids, then counts both sides and prints the counts. Refuses a target database that holds \
        anything. The user and password come from --username/--password, else from difi.datasource.username and \
        difi.datasource.password (as --difi.datasource.password=… or DIFI_DATASOURCE_PASSWORD), else from the \
        URL. Afterwards set difi.datasource.url (and the credentials) to the target and start the integration point.
        """)

    @Option(name: .long, help: "The PostgreSQL database: jdbc:postgresql://host:5432/db or postgresql://host:5432/db.")
    var to: String

    @Option(name: .long, help: "The PostgreSQL user (default: difi.datasource.username, else the URL's).")
    var username: String?

    @Option(name: .long, help: "The PostgreSQL password (default: difi.datasource.password, else the URL's).")
    var password: String?

    @Option(name: .long, help: "The embedded database file (difi.datasource.url).")
    var database: String = StoreBackup.databaseName

    @Option(name: .long, help: "The payload folder (difi.move.nextmove.filedir).")
    var filedir: String = StoreBackup.payloadFolderName

    func run() async throws {
        let here = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        do {
            let target = try PostgresStoreConfiguration(
                url: to, username: username ?? Self.setting("difi.datasource.username"),
                password: password ?? Self.setting("difi.datasource.password"))
            say("Copying \(database) and \(filedir)/ into PostgreSQL at \(target.location) …")
            let summary = try await StoreMigration.migrate(
                databasePath: URL(fileURLWithPath: database, relativeTo: here).path,
                payloadFolder: URL(fileURLWithPath: filedir, relativeTo: here), to: target,
                progress: { say($0) })
            say("Copied and verified (embedded → PostgreSQL):\n\(summary.table)")
            say("Payload bytes: \(summary.payloadBytes). Now set difi.datasource.url=\(Self.jdbc(target)) "
                + "(with difi.datasource.username/password) and start the integration point.")
        } catch let problem as StoreMigration.Problem {
            FileHandle.standardError.write(Data("migrate-store: \(problem)\n".utf8))
            throw ExitCode(1)
        } catch let error as StoreError {
            FileHandle.standardError.write(Data("migrate-store: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }

    /// A datasource key as `--key=value` or from the environment (`DIFI_DATASOURCE_PASSWORD`).
    static func setting(_ key: String) -> String? {
        for argument in SpringArguments.current where argument.hasPrefix("--\(key)=") {
            return String(argument.dropFirst(key.count + 3))
        }
        let variable = key.uppercased().replacingOccurrences(of: ".", with: "_")
        return ProcessInfo.processInfo.environment[variable].flatMap { $0.isEmpty ? nil : $0 }
    }

    static func jdbc(_ target: PostgresStoreConfiguration) -> String {
        "jdbc:postgresql://\(target.host):\(target.port)/\(target.database)"
            + (target.schema.map { "?currentSchema=\($0)" } ?? "")
    }
}
