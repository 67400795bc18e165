/// `AppReceiptType` (`noarkExchange-types.xsd`): the answer to a `PutMessage`, and a payload of its own when an
/// archive system acknowledges a message it received.
public struct AppReceipt: Sendable, Hashable {
    public enum ReceiptType: String, Sendable, Hashable, CaseIterable {
        case OK, NOTSUPPORTED, WARNING, ERROR
    }

    /// `StatusMessageType`: `<message code="…"><text>…</text></message>`.
    public struct Message: Sendable, Hashable {
        public var code: String
        public var text: String
        public init(code: String, text: String) {
            self.code = code
            self.text = text
        }
    }

    public var type: ReceiptType
    public var messages: [Message]

    public init(type: ReceiptType, messages: [Message] = []) {
        self.type = type
        self.messages = messages
    }

    public static let ok = AppReceipt(type: .OK)

    /// An ERROR receipt with one message.
    public static func error(code: String, _ text: String) -> AppReceipt {
        AppReceipt(type: .ERROR, messages: [Message(code: code, text: text)])
    }

    /// The upstream's codes and texts (`IntegrasjonspunktImpl`, `nextmove-api.md` §7).
    public enum Code {
        /// `MISSING_PAYLOAD`.
        public static let missingPayload = "8"
        /// `MISSING_SERVICE_RECORD`.
        public static let missingServiceRecord = "16"
        /// Any other failure: the upstream put the exception text under code `Unknown`.
        public static let unknown = "Unknown"
    }

    public static let missingPayloadText = "Request has missing or empty payload"
    public static let missingServiceRecordText = "Fant ikke service record for identifikator"

    /// All message texts joined, for logs and status descriptions.
    public var summary: String {
        let texts = messages.map { "\($0.code): \($0.text)" }.joined(separator: "; ")
        return texts.isEmpty ? type.rawValue : "\(type.rawValue) (\(texts))"
    }

    /// Reads an `AppReceipt` or `result` element; a missing or unknown `type` reads as ERROR.
    public init(element: XMLTree) {
        let type = element.attributes["type"].flatMap { ReceiptType(rawValue: $0.trimmingCharacters(in: .whitespaces).uppercased()) }
        self.type = type ?? .ERROR
        messages = element.children("message").map {
            Message(code: $0.attributes["code"] ?? "", text: $0.value("text") ?? "")
        }
    }

    /// Writes the receipt as element `name` (`result` in responses, `AppReceipt` as a payload).
    public func write(as name: String, namespaceDeclaration: String? = nil) -> String {
        var w = XMLWriter(declaration: false)
        w.open(name, ["xmlns:ne": namespaceDeclaration, "type": type.rawValue])
        for message in messages {
            w.open("message", ["code": message.code])
            w.element("text", message.text)
            w.close("message")
        }
        w.close(name)
        return w.text
    }

    /// The receipt as a stand-alone payload document.
    public func writePayload() -> String {
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
            + write(as: "ne:AppReceipt", namespaceDeclaration: NoarkExchangeNamespaces.types)
    }
}
