/// `status` (DPO/DPE internal: a receiving integration point reports MOTTATT/LEVERT).
public struct StatusMessage: Sendable, Hashable, Codable {
    /// A `ReceiptStatus` name, e.g. `MOTTATT`.
    @LenientString public var status: String?
    @LenientString public var hoveddokument: String?

    public init(status: String? = nil, hoveddokument: String? = nil) {
        self.status = status
        self.hoveddokument = hoveddokument
    }

    public init(_ status: ReceiptStatus) {
        self.init(status: status.rawValue)
    }

    public var receiptStatus: ReceiptStatus? { status.flatMap(ReceiptStatus.init(rawValue:)) }
}
