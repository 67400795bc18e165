/// Checks that message ids and payload keys are safe as single path components (and as database keys).
enum PayloadName {
    /// - Throws: `StoreError.invalidPayloadName` for an empty name, `.`, or a name with `/`, `..` or NUL.
    static func validate(_ name: String) throws {
        if name.isEmpty || name == "." || name.contains("/") || name.contains("..") || name.contains("\0") {
            throw StoreError.invalidPayloadName(name)
        }
    }

    static func validate(messageId: String, key: String) throws {
        try validate(messageId)
        try validate(key)
    }
}
