/// Masks Norwegian person numbers (fødselsnummer, D-nummer): every run of exactly eleven digits that is not part of a
/// longer word or number becomes eleven asterisks. Organisation numbers (nine digits), UUIDs and longer numbers stay.
public enum PersonNumberMasking {
    public static func mask(_ text: String) -> String {
        var bytes = Array(text.utf8)
        guard bytes.count >= 11 else { return text }
        var changed = false
        var index = 0
        while index < bytes.count {
            guard isDigit(bytes[index]) else { index += 1; continue }
            var end = index
            while end < bytes.count, isDigit(bytes[end]) { end += 1 }
            let before = index > 0 ? bytes[index - 1] : 0x20
            let after = end < bytes.count ? bytes[end] : 0x20
            if end - index == 11, !isWordByte(before), !isWordByte(after) {
                for position in index..<end { bytes[position] = UInt8(ascii: "*") }
                changed = true
            }
            index = end
        }
        return changed ? String(decoding: bytes, as: UTF8.self) : text
    }

    @inline(__always) private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    /// Letters, digits and underscore; any byte of a multi-byte character counts as a letter.
    @inline(__always) private static func isWordByte(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F || byte >= 0x80
    }
}
