import Foundation

/// Writes a line to standard output at once, also when it is a pipe or a file (`print` would buffer it).
func say(_ text: String = "") {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}
