/// A JSON member name chosen at run time, for `Encodable` types that write their members in an order of their own
/// (with `JacksonJSON`, which keeps the order).
public struct JSONKey: CodingKey, Hashable, Sendable {
    public var stringValue: String
    public var intValue: Int? { nil }

    public init(_ string: String) { stringValue = string }
    public init?(stringValue: String) { self.stringValue = stringValue }
    public init?(intValue: Int) { nil }
}
