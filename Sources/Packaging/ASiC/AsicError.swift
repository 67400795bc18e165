import Foundation

/// Why an ASiC-E container could not be written or read.
public enum AsicError: Error, Sendable, Equatable, CustomStringConvertible {
    case duplicateFilename(String)
    case invalidFilename(String)
    case sourceChanged(String)
    case notAZip(String)
    case unsafeEntryName(String)
    case entryTooLarge(name: String, limit: UInt64)
    case missingManifest
    case missingSignature
    case badSignature(String)
    case digestMismatch(String)
    case unsupportedDigest(String)
    case entryNotFound(String)
    case malformedManifest(String)

    public var description: String {
        switch self {
        case .duplicateFilename(let name):
            return "Two documents are named '\(name)'. File names in a message must be unique; rename one of them."
        case .invalidFilename(let name):
            return "The file name '\(name)' cannot go into an ASiC-E container (empty, absolute, '..', backslash, or reserved). Use a plain file name."
        case .sourceChanged(let name):
            return "The file '\(name)' changed while it was being packed. Do not modify uploads while a message is being sent."
        case .notAZip(let detail):
            return "The container is not a readable ZIP/ASiC-E file (\(detail)). Ask the sender to send it again."
        case .unsafeEntryName(let name):
            return "The container has an entry with an unsafe path '\(name)' (absolute or '..'); it was refused to protect the file system."
        case .entryTooLarge(let name, let limit):
            return "The entry '\(name)' unpacks to more than \(limit) bytes, the configured limit; refusing it as a possible zip bomb."
        case .missingManifest:
            return "The container has no META-INF/ASiCManifest.xml, so its contents cannot be verified. It is not an ASiC-E container with a CAdES signature."
        case .missingSignature:
            return "The container has no META-INF/signature*.p7s. Ask the sender to sign the container."
        case .badSignature(let detail):
            return "The container's signature is not valid (\(detail)). The contents may have been altered; do not trust them."
        case .digestMismatch(let name):
            return "The entry '\(name)' does not match the digest in the signed ASiC manifest. The contents have been altered; do not trust them."
        case .unsupportedDigest(let algorithm):
            return "The ASiC manifest uses the digest algorithm \(algorithm); only SHA-256, SHA-384, SHA-512 and SHA-1 are supported."
        case .entryNotFound(let name):
            return "The container has no entry named '\(name)'."
        case .malformedManifest(let detail):
            return "The ASiC manifest could not be read (\(detail))."
        }
    }
}
