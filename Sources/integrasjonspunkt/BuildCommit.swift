// `scripts/release.sh` replaces this file, in the copy of the sources it builds from, with the commit it builds.
// A build from a working tree says "development".
enum BuildCommit {
    static let commit = "development"
}
