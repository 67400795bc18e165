/// `arkivmelding_kvittering` (DPO receipt).
public struct ArkivmeldingKvitteringMessage: Sendable, Hashable, Codable {
    /// `OK` | `WARNING` | `ERROR` | `NOTSUPPORTED`.
    @LenientString public var receiptType: String?
    @LenientString public var relatedToMessageId: String?
    public var messages: [KvitteringStatusMessage]?
    @LenientString public var hoveddokument: String?

    public init(receiptType: String? = nil, relatedToMessageId: String? = nil,
                messages: [KvitteringStatusMessage]? = nil, hoveddokument: String? = nil) {
        self.receiptType = receiptType
        self.relatedToMessageId = relatedToMessageId
        self.messages = messages
        self.hoveddokument = hoveddokument
    }
}

/// `{ "code", "text" }` in receipts.
public struct KvitteringStatusMessage: Sendable, Hashable, Codable {
    @LenientString public var code: String?
    @LenientString public var text: String?

    public init(code: String? = nil, text: String? = nil) {
        self.code = code
        self.text = text
    }
}
