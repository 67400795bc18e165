/// A citizen's digital mailbox, as a DPI capability shows it: the postbox provider's organisation number
/// (`supplier`, the registry's `orgnrPostkasse`) and the mailbox address there (`address`, `postkasseAdresse`).
public struct DigitalPostAddress: Sendable, Hashable, Encodable {
    public var supplier: String?
    public var address: String?

    public init(supplier: String?, address: String?) {
        self.supplier = supplier
        self.address = address
    }
}
