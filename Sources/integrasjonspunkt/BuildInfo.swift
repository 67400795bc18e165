/// The version of this build, from one place. Semantic versioning: MAJOR breaks the API or the configuration,
/// MINOR adds, PATCH fixes.
enum BuildInfo {
    static let version = "0.1.0"
    static let name = "integrasjonspunkt"
    static var versionLine: String { "\(name) \(version)" }
}
