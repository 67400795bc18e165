import Foundation

/// Reads single facts out of stored SBD JSON without decoding the whole document.
enum SBDPeek {
    /// Whether the document is a `status` receipt.
    static func isStatusDocument(_ json: String) -> Bool {
        guard let data = json.data(using: .utf8),
              let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let header = root["standardBusinessDocumentHeader"] as? [String: Any],
              let identification = header["documentIdentification"] as? [String: Any],
              let type = identification["type"] as? String
        else { return false }
        return type.lowercased() == "status"
    }
}
