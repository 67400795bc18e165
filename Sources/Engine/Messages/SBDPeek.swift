import Foundation

/// Reads single facts out of stored SBD JSON without decoding the whole document.
enum SBDPeek {
    /// Whether the document is a `status` receipt.
    ///
    /// A document whose text has no `status` in any case cannot be one, and is answered without parsing (our own
    /// stored JSON never escapes letters).
    static func isStatusDocument(_ json: String) -> Bool {
        guard mentionsStatus(json) else { return false }
        guard let data = json.data(using: .utf8),
              let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let header = root["standardBusinessDocumentHeader"] as? [String: Any],
              let identification = header["documentIdentification"] as? [String: Any],
              let type = identification["type"] as? String
        else { return false }
        return type.lowercased() == "status"
    }

    private static func mentionsStatus(_ json: String) -> Bool {
        let word = Array("status".utf8)
        var matched = 0
        for byte in json.utf8 {
            let lower = (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
            if lower == word[matched] {
                matched += 1
                if matched == word.count { return true }
            } else {
                matched = lower == word[0] ? 1 : 0
            }
        }
        return false
    }
}
