import Foundation
import Model

/// File names and types of BEST/EDU documents (`veFilnavn`, `veMimeType`, `veDokformat`).
enum FileTypes {
    static func mimeType(forFilename name: String) -> String {
        MimeType.forExtension(MimeType.fileExtension(of: name))
    }

    /// `veDokformat`: the file name's extension, else the MIME type's, else `pdf` (the page's default).
    static func fileExtension(forMimeType mimeType: String) -> String {
        let lower = mimeType.lowercased()
        if let match = MimeType.byExtension.sorted(by: { $0.key < $1.key }).first(where: { $0.value == lower }) {
            return match.key
        }
        return "pdf"
    }

    static func dokformat(filename: String, mimeType: String) -> String {
        let ext = MimeType.fileExtension(of: filename).lowercased()
        return ext.isEmpty ? fileExtension(forMimeType: mimeType) : ext
    }

    /// The last path segment, without control characters (names travel in ZIP entries and HTTP headers).
    static func safeFilename(_ name: String) -> String {
        let last = name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let cleaned = String(last.unicodeScalars.filter { $0.value >= 0x20 && $0 != "\"" }.map(Character.init))
        let trimmed = cleaned.trimmingCharacters(in: .whitespaces)
        return trimmed == "." || trimmed == ".." ? "" : trimmed
    }

    /// `name`, or `name-2.ext`, `name-3.ext`, … until it is not in `used` (compared ignoring case).
    static func unique(_ name: String, among used: Set<String>) -> String {
        guard used.contains(name.lowercased()) else { return name }
        let ext = MimeType.fileExtension(of: name)
        let stem = ext.isEmpty ? name : String(name.dropLast(ext.count + 1))
        var n = 2
        while true {
            let candidate = ext.isEmpty ? "\(stem)-\(n)" : "\(stem)-\(n).\(ext)"
            if !used.contains(candidate.lowercased()) { return candidate }
            n += 1
        }
    }
}
