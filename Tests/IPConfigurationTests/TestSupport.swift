import Foundation
@testable import IPConfiguration

/// A fresh temporary folder, removed when the value goes away.
final class TemporaryFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("config-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> URL {
        let file = url.appendingPathComponent(name)
        try FileManager.default.createDirectory(
            at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    func load(_ commandLine: [String] = [], environment: [String: String] = [:]) throws -> LoadedConfiguration {
        try ConfigurationLoader.load(commandLine: commandLine, environment: environment, workingDirectory: url)
    }

    func loadError(_ commandLine: [String] = [], environment: [String: String] = [:]) -> ConfigurationError? {
        do {
            _ = try ConfigurationLoader.load(commandLine: commandLine, environment: environment, workingDirectory: url)
            return nil
        } catch {
            return error
        }
    }
}

/// The smallest configuration that passes validation, as properties text. Needs a `keystore.p12` file.
let minimalProperties = """
    difi.move.org.number=910077473
    difi.move.org.keystore.path=file:keystore.p12
    difi.move.org.keystore.alias=910077473
    difi.move.org.keystore.password=changeit
    difi.security.user.name=archive
    difi.security.user.password=s3cret-pw
    difi.ssl.enabled=false

    """

let minimalMap: [String: String] = [
    "difi.move.org.number": "910077473",
    "difi.move.org.keystore.path": "/etc/keystore.p12",
    "difi.move.org.keystore.alias": "alias",
    "difi.move.org.keystore.password": "changeit",
    "difi.security.user.name": "archive",
    "difi.security.user.password": "s3cret-pw",
    "difi.ssl.enabled": "false",
]

/// A folder with `keystore.p12` and the minimal properties file.
func minimalFolder(extra: String = "") throws -> TemporaryFolder {
    let folder = try TemporaryFolder()
    try folder.write("keystore.p12", "not really a keystore")
    try folder.write("integrasjonspunkt-local.properties", minimalProperties + extra)
    return folder
}
