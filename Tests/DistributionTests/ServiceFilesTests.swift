import Foundation
import Testing
@testable import IPConfiguration

@Suite("Service files and the sample configuration")
struct ServiceFilesTests {
    static let unit = Shell.root.appendingPathComponent("packaging/systemd/integrasjonspunkt.service")

    @Test("The systemd unit passes systemd-analyze verify without a warning")
    func systemdUnitVerifies() throws {
        guard Shell.has("systemd-analyze") else {
            // Recorded rather than failed: not every build machine has systemd.
            print("note: systemd-analyze is not installed here; the systemd unit was not verified")
            return
        }
        // verify checks that ExecStart's binary exists: point the unit at a stand-in.
        let work = try Shell.temporaryFolder("unit")
        defer { try? FileManager.default.removeItem(at: work) }
        let binary = work.appendingPathComponent("integrasjonspunkt")
        try "#!/bin/sh\n".write(to: binary, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: binary.path)
        let text = try String(contentsOf: Self.unit, encoding: .utf8)
            .replacingOccurrences(of: "/usr/local/bin/integrasjonspunkt", with: binary.path)
        let copy = work.appendingPathComponent("integrasjonspunkt.service")
        try text.write(to: copy, atomically: true, encoding: .utf8)
        let result = try Shell.run(["systemd-analyze", "verify", copy.path])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "warnings: \(result.output)")
    }

    @Test("The unit runs as a dedicated user in its folder, restarts on failure and stops gracefully")
    func systemdUnitSettings() throws {
        let text = try String(contentsOf: Self.unit, encoding: .utf8)
        for line in ["User=integrasjonspunkt", "WorkingDirectory=/var/lib/integrasjonspunkt", "Restart=on-failure",
                     "KillSignal=SIGTERM", "TimeoutStopSec=", "ProtectSystem=strict",
                     "ReadWritePaths=/var/lib/integrasjonspunkt", "NoNewPrivileges=yes", "RestartPreventExitStatus=2"] {
            #expect(text.contains("\n" + line), "\(line)")
        }
    }

    @Test("The Dockerfile builds in one stage and runs as a non-root user with a volume and a health check")
    func dockerfile() throws {
        let text = try String(contentsOf: Shell.root.appendingPathComponent("Dockerfile"), encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.filter { $0.hasPrefix("FROM ") }.count == 2)
        #expect(lines.contains { $0.hasPrefix("FROM ") && $0.hasSuffix(" AS build") })
        #expect(text.contains("--static-swift-stdlib"))
        #expect(lines.contains("USER integrasjonspunkt"))
        #expect(lines.contains(#"VOLUME ["/data"]"#))
        #expect(lines.contains("WORKDIR /data"))
        #expect(text.contains("HEALTHCHECK") && text.contains("/manage/health"))
        #expect(lines.contains("STOPSIGNAL SIGTERM"))
    }

    /// `(key, value)` of every `#key=value` line of the sample.
    static func sampleEntries() throws -> [(key: String, value: String)] {
        let text = try String(contentsOf: Shell.root.appendingPathComponent("packaging/integrasjonspunkt-local.properties"),
                              encoding: .utf8)
        return text.split(separator: "\n").compactMap { line -> (String, String)? in
            guard line.hasPrefix("#"), let equals = line.firstIndex(of: "=") else { return nil }
            let key = line[line.index(after: line.startIndex)..<equals]
            guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || ".-_".contains($0) }) else { return nil }
            return (String(key), String(line[line.index(after: equals)...]))
        }
    }

    @Test("Every key of the sample configuration is commented out, known, and shows its production default")
    func sampleProperties() throws {
        let entries = try Self.sampleEntries()
        #expect(entries.count >= 30)
        let text = try String(contentsOf: Shell.root.appendingPathComponent("packaging/integrasjonspunkt-local.properties"),
                              encoding: .utf8)
        #expect(!text.split(separator: "\n").contains { !$0.isEmpty && !$0.hasPrefix("#") }, "nothing is set")
        var defaults: [String: String] = [:]
        for (key, value) in BuiltInDefaults.base + BuiltInDefaults.profile(.production) {
            defaults[RelaxedKey.canonical(key)] = value
        }
        for (key, value) in entries {
            let canonical = RelaxedKey.canonical(key)
            #expect(BuiltInDefaults.knownCanonicalKeys.contains(canonical), "\(key) is a known key")
            if let expected = defaults[canonical], !expected.contains("${") {
                #expect(value == expected, "\(key): the sample says \(value), the default is \(expected)")
            } else if defaults[canonical] == nil {
                #expect(value.isEmpty, "\(key) has no default, so the sample shows none")
            }
        }
        #expect(entries.contains { $0.key == "difi.move.nextmove.status-retention-days" && $0.value == "180" })
    }
}
