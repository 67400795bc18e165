import Foundation
import Testing

@Suite("The release script and its artifacts")
struct ReleaseScriptTests {
    static let script = Shell.root.appendingPathComponent("scripts/release.sh").path

    @Test("release.sh is valid bash")
    func syntax() throws {
        let result = try Shell.run(["bash", "-n", Self.script])
        #expect(result.status == 0, "\(result.output)")
    }

    @Test("The version comes from BuildInfo, is semantic, and the changelog has a section for it")
    func versionAndChangelog() throws {
        let result = try Shell.run(["bash", Self.script, "--print-version"])
        #expect(result.status == 0, "\(result.output)")
        let version = result.output.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(version.range(of: #"^\d+\.\d+\.\d+$"#, options: .regularExpression) != nil, "\(version)")
        let buildInfo = try String(contentsOf: Shell.root.appendingPathComponent("Sources/integrasjonspunkt/BuildInfo.swift"), encoding: .utf8)
        #expect(buildInfo.contains(#"static let version = "\#(version)""#))
        let changelog = try String(contentsOf: Shell.root.appendingPathComponent("CHANGELOG.md"), encoding: .utf8)
        #expect(changelog.contains("## [\(version)] - "), "CHANGELOG.md has a dated section for \(version)")
        #expect(changelog.contains("## [Unreleased]"))
        #expect(changelog.contains("keepachangelog.com"))
    }

    @Test("With a prebuilt binary it packs the tarball, its checksum and a signature that verify")
    func packsChecksumAndSignature() throws {
        try #require(Shell.has("openssl") && Shell.has("sha256sum") && Shell.has("tar"), "needs openssl, sha256sum and tar")
        let version = try Shell.run(["bash", Self.script, "--print-version"]).output
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let work = try Shell.temporaryFolder("release")
        defer { try? FileManager.default.removeItem(at: work) }
        let fake = work.appendingPathComponent("integrasjonspunkt")
        try "#!/bin/sh\necho 'integrasjonspunkt \(version) (commit fake)'\n".write(to: fake, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fake.path)
        let key = work.appendingPathComponent("signing.pem").path
        #expect(try Shell.run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048",
                               "-out", key]).status == 0)
        let out = work.appendingPathComponent("dist")

        let release = try Shell.run(["bash", Self.script, "--binary", fake.path, "--out", out.path, "--signing-key", key])
        #expect(release.status == 0, "\(release.output)")

        let name = "integrasjonspunkt-\(version)-linux-x86_64"
        let tarball = "\(name).tar.gz"
        let listing = try Shell.run(["tar", "tzf", tarball], in: out)
        #expect(listing.status == 0)
        let entries = Set(listing.output.split(separator: "\n").map(String.init))
        for file in ["integrasjonspunkt", "README.md", "CHANGELOG.md", "integrasjonspunkt-local.properties",
                     "integrasjonspunkt.service", "VERSION", "BUILD-INFO"] {
            #expect(entries.contains("\(name)/\(file)"), "\(file) in \(entries.sorted())")
        }
        let verbose = try Shell.run(["tar", "tvzf", tarball], in: out).output
        #expect(verbose.contains("-rwxr-xr-x 0/0"), "the binary is executable and owned by root: \(verbose)")

        // What the README tells an operator to run.
        let checked = try Shell.run(["sha256sum", "-c", "\(tarball).sha256"], in: out)
        #expect(checked.status == 0 && checked.output.contains("\(tarball): OK"), "\(checked.output)")
        let publicKey = work.appendingPathComponent("signing.pub.pem").path
        #expect(try Shell.run(["openssl", "pkey", "-in", key, "-pubout", "-out", publicKey]).status == 0)
        let verified = try Shell.run(["openssl", "dgst", "-sha256", "-verify", publicKey, "-signature",
                                      "\(tarball).sig", tarball], in: out)
        #expect(verified.status == 0 && verified.output.contains("Verified OK"), "\(verified.output)")

        // A changed byte fails both checks.
        let tampered = out.appendingPathComponent(tarball)
        var bytes = try Data(contentsOf: tampered)
        bytes[bytes.count / 2] ^= 0xFF
        try bytes.write(to: tampered)
        #expect(try Shell.run(["sha256sum", "-c", "\(tarball).sha256"], in: out).status != 0)
        #expect(try Shell.run(["openssl", "dgst", "-sha256", "-verify", publicKey, "-signature",
                               "\(tarball).sig", tarball], in: out).status != 0)
    }

    @Test("A binary that reports another version is refused")
    func refusesAWrongBinary() throws {
        let work = try Shell.temporaryFolder("release")
        defer { try? FileManager.default.removeItem(at: work) }
        let fake = work.appendingPathComponent("integrasjonspunkt")
        try "#!/bin/sh\necho 'integrasjonspunkt 99.0.0'\n".write(to: fake, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fake.path)
        let result = try Shell.run(["bash", Self.script, "--binary", fake.path, "--out", work.appendingPathComponent("dist").path])
        #expect(result.status != 0)
        #expect(result.output.contains("not version"), "\(result.output)")
    }
}
