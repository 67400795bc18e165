import Foundation

/// Safety checks for attachment file names before they become paths or ASiC entries.
public enum Filename {
    /// Accepts a plain file name: not empty, no `/` or `\`, not `.`/`..`, no NUL or other control characters.
    /// (A name cannot be absolute without a separator, so those are covered by the separator check.)
    public static func validate(_ name: String) throws(FilenameError) {
        if name.trimmingCharacters(in: .whitespaces).isEmpty { throw FilenameError(filename: name, reason: .empty) }
        if name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            throw FilenameError(filename: name, reason: .controlCharacter)
        }
        if name.contains("/") || name.contains("\\") {
            throw FilenameError(filename: name, reason: .pathSeparator)
        }
        if name == "." || name == ".." { throw FilenameError(filename: name, reason: .dotSegment) }
        if name.count >= 2, name.dropFirst().first == ":", name.first?.isLetter == true {
            throw FilenameError(filename: name, reason: .absolutePath)
        }
    }

    public static func isSafe(_ name: String) -> Bool {
        (try? validate(name)) != nil
    }
}

/// A file name refused by `Filename.validate`.
public struct FilenameError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        case empty, pathSeparator, dotSegment, absolutePath, controlCharacter
    }

    public let filename: String
    public let reason: Reason

    /// One sentence: what is wrong and what to do.
    public var message: String {
        let shown = filename.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F
            ? "\\u" + String(repeating: "0", count: 4 - String($0.value, radix: 16).count) + String($0.value, radix: 16)
            : String($0) }.joined()
        return switch reason {
        case .empty: "Invalid filename '\(shown)': the filename must not be empty. Please give the attachment a file name."
        case .pathSeparator: "Invalid filename '\(shown)': the filename must not contain '/' or '\\'. Please send a plain file name without directories."
        case .dotSegment: "Invalid filename '\(shown)': '.' and '..' are not file names. Please send a plain file name."
        case .absolutePath: "Invalid filename '\(shown)': the filename must not be an absolute path. Please send a plain file name."
        case .controlCharacter: "Invalid filename '\(shown)': the filename must not contain control characters. Please remove them."
        }
    }

    public var description: String { message }
}
