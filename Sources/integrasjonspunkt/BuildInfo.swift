/// The version of this build, from one place. Semantic versioning: MAJOR breaks the API or the configuration,
/// MINOR adds, PATCH fixes. `scripts/release.sh` reads the version here and checks that `CHANGELOG.md` has it.
enum BuildInfo {
    static let version = "0.2.0"
    static let name = "integrasjonspunkt"
    /// The git commit the binary was built from (`BuildCommit.swift`, written by `scripts/release.sh`).
    static var commit: String { BuildCommit.commit }
    static var versionLine: String { "\(name) \(version) (commit \(commit))" }
}
