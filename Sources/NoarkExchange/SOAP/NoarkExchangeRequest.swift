import Foundation

public enum NoarkExchangeNamespaces {
    /// The WSDL's target namespace.
    public static let service = "http://www.arkivverket.no/Noark/Exchange"
    /// The message types (`noarkExchange-types.xsd`).
    public static let types = "http://www.arkivverket.no/Noark/Exchange/types"
    public static let soap11 = "http://schemas.xmlsoap.org/soap/envelope/"
    public static let soap12 = "http://www.w3.org/2003/05/soap-envelope"
}

/// `AddressType`: an organisation number and, optionally, a name, e-mail and the party's own reference.
public struct NoarkAddress: Sendable, Hashable {
    public var orgnr: String
    public var name: String?
    public var email: String?
    public var ref: String?

    public init(orgnr: String, name: String? = nil, email: String? = nil, ref: String? = nil) {
        self.orgnr = orgnr
        self.name = name
        self.email = email
        self.ref = ref
    }

    init(element: XMLTree?) {
        self.init(orgnr: element?.value("orgnr") ?? "", name: element?.value("name"), email: element?.value("email"),
                  ref: element?.value("ref"))
    }

    func write(as name: String, into w: inout XMLWriter) {
        w.open(name)
        w.element("orgnr", orgnr)
        w.element("name", self.name)
        w.element("email", email)
        w.element("ref", ref)
        w.close(name)
    }
}

/// `EnvelopeType`.
public struct NoarkEnvelope: Sendable, Hashable {
    public var conversationId: String
    public var contentNamespace: String
    public var sender: NoarkAddress
    public var receiver: NoarkAddress

    public init(conversationId: String, contentNamespace: String = Melding.namespace, sender: NoarkAddress,
                receiver: NoarkAddress) {
        self.conversationId = conversationId
        self.contentNamespace = contentNamespace
        self.sender = sender
        self.receiver = receiver
    }
}

/// What a `PutMessage` carries.
public enum PutMessagePayload: Sendable, Hashable {
    case melding(Melding)
    case appReceipt(AppReceipt)
    /// No payload element, or one with neither text nor elements.
    case empty
    /// A payload that is neither a `Melding` nor an `AppReceipt`, or one that cannot be read; the text says why.
    case unreadable(String)
}

/// A call of the noarkExchange service, read from a SOAP 1.1 request.
public enum NoarkExchangeRequest: Sendable, Hashable {
    case getCanReceiveMessage(receiver: NoarkAddress)
    case putMessage(envelope: NoarkEnvelope, payload: PutMessagePayload)

    /// Reads a SOAP request. Throws a ``SOAPFault`` (to be answered as such) when the request is not a SOAP
    /// envelope, has no body, or calls an operation this service does not have.
    public static func parse(_ data: Data) throws(SOAPFault) -> NoarkExchangeRequest {
        let operation = try SOAPEnvelope.bodyElement(of: data)
        switch operation.name {
        case "GetCanReceiveMessageRequest", "GetCanReceiveMessage":
            return .getCanReceiveMessage(receiver: NoarkAddress(element: operation.child("receiver")))
        case "PutMessageRequest", "PutMessage":
            let envelopeElement = operation.child("envelope")
            let envelope = NoarkEnvelope(
                conversationId: envelopeElement?.attributes["conversationId"]?.trimmingCharacters(in: .whitespaces) ?? "",
                contentNamespace: envelopeElement?.attributes["contentNamespace"] ?? Melding.namespace,
                sender: NoarkAddress(element: envelopeElement?.child("sender")),
                receiver: NoarkAddress(element: envelopeElement?.child("receiver")))
            return .putMessage(envelope: envelope, payload: readPayload(operation.child("payload")))
        default:
            throw SOAPFault.client(
                "Unknown operation {\(operation.namespace ?? "")}\(operation.name): this noarkExchange endpoint offers GetCanReceiveMessage and PutMessage (see ?wsdl).")
        }
    }

    /// The payload as inline XML (an element) or as escaped XML text, the two forms archive systems send.
    static func readPayload(_ payload: XMLTree?) -> PutMessagePayload {
        guard let payload else { return .empty }
        if let element = payload.children.first { return interpret(element) }
        let text = payload.text.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty { return .empty }
        let root: XMLTree
        do {
            root = try XMLTree.parse(text)
        } catch {
            // The upstream recognised a receipt by the substring alone.
            if text.contains("AppReceipt") { return .unreadable("The AppReceipt in the payload is \(error)") }
            return .unreadable("The payload is \(error). Send a NOARK 4 Melding or an AppReceipt as XML.")
        }
        return interpret(root)
    }

    private static func interpret(_ element: XMLTree) -> PutMessagePayload {
        switch element.name {
        case "Melding", "melding", "MeldingType":
            do {
                return .melding(try Melding(element: element))
            } catch {
                return .unreadable("The payload's Melding cannot be used: \(error).")
            }
        case "AppReceipt", "appReceipt", "AppReceiptType":
            return .appReceipt(AppReceipt(element: element))
        default:
            return .unreadable(
                "The payload is a {\(element.namespace ?? "")}\(element.name) element, neither a NOARK 4 Melding ({\(Melding.namespace)}Melding) nor an AppReceipt.")
        }
    }
}
