/// A `sort=` property that the list does not know.
///
/// Thrown by `find…` methods before any SQL runs, so the HTTP layer can answer 400 and name what is allowed.
public struct InvalidSortProperty: Error, CustomStringConvertible, Equatable, Sendable {
    /// The property the client asked for.
    public var property: String
    /// The properties this list can be sorted by.
    public var allowed: [String]

    public init(property: String, allowed: [String]) {
        self.property = property
        self.allowed = allowed
    }

    public var description: String {
        "No property '\(property)' to sort by; use one of: \(allowed.joined(separator: ", "))."
    }
}
