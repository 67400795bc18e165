import Foundation

/// MIME types for uploaded files (`nextmove-api.md` §4.3 item 7, the upstream's `MimeTypeExtensionMapper`).
public enum MimeType {
    /// extension (lower case) → MIME type, as the upstream maps it. Note the quirks: `jpeg` but not `jpg`,
    /// `zip` → `application/octet-stream`, the OpenDocument types under `odf`/`odt`/`fods`/`fodp`/`fodg`.
    public static let byExtension: [String: String] = [
        "pdf": "application/pdf",
        "html": "text/html",
        "txt": "text/plain",
        "xml": "text/xml",
        "doc": "application/msword",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls": "application/vnd.ms-excel",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xltx": "application/vnd.openxmlformats-officedocument.spreadsheetml.template",
        "ppt": "application/vnd.ms-powerpoint",
        "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "odf": "application/vnd.oasis.opendocument.formula",
        "odt": "application/vnd.oasis.opendocument.text",
        "fods": "application/vnd.oasis.opendocument.spreadsheet",
        "fodp": "application/vnd.oasis.opendocument.presentation",
        "fodg": "application/vnd.oasis.opendocument.graphics",
        "gif": "image/gif",
        "jpeg": "image/jpeg",
        "png": "image/png",
        "zip": "application/octet-stream",
    ]

    public static let defaultType = "application/pdf"

    /// The MIME type for an extension; unknown (or none) → `application/pdf`.
    public static func forExtension(_ ext: String) -> String {
        byExtension[ext.lowercased()] ?? defaultType
    }

    /// The text after the last `.` of the file name (empty when there is none).
    public static func fileExtension(of filename: String) -> String {
        let name = filename.split(separator: "/").last.map(String.init) ?? filename
        guard let dot = name.lastIndex(of: ".") else { return "" }
        return String(name[name.index(after: dot)...])
    }

    /// The MIME type stored for an upload: the request's `Content-Type`, unless it is empty or
    /// `application/octet-stream`, in which case it is derived from the filename's extension.
    public static func forUpload(contentType: String?, filename: String) -> String {
        let trimmed = contentType?.trimmingCharacters(in: .whitespaces) ?? ""
        if trimmed.isEmpty || trimmed.lowercased() == "application/octet-stream" {
            return forExtension(fileExtension(of: filename))
        }
        return trimmed
    }
}
