import Foundation

/// Which entries to store uncompressed: formats that are already compressed gain nothing from DEFLATE.
enum MimeTypes {
    static let compressedExtensions: Set<String> = [
        "pdf", "zip", "jpg", "jpeg", "png", "gif", "docx", "xlsx", "pptx", "odt", "ods", "odp", "asice", "sce",
        "gz", "tgz", "bz2", "xz", "7z", "rar", "mp3", "mp4", "m4a", "mov", "avi", "heic", "webp", "tif", "tiff",
    ]
    static let compressedTypes: Set<String> = [
        "application/pdf", "application/zip", "image/jpeg", "image/png", "image/gif",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/vnd.etsi.asic-e+zip",
    ]

    static func isAlreadyCompressed(filename: String, mimeType: String) -> Bool {
        let ext = (filename as NSString).pathExtension.lowercased()
        return compressedExtensions.contains(ext) || compressedTypes.contains(mimeType.lowercased())
    }
}
