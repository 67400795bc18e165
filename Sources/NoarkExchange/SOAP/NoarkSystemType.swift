/// The archive system's dialect of BEST/EDU (`difi.move.noarkSystem.type`), per the vendors' WSDLs the upstream
/// shipped (`schemas/noarkexchange-*`).
///
/// All variants share the wire shape — `PutMessageRequest` in `http://www.arkivverket.no/Noark/Exchange/types`
/// with unqualified children, the `Melding` as escaped XML text in `payload` — and differ in the SOAPAction
/// header: Public 360's WCF service (`EDUImport.svc`) dispatches on
/// `http://www.arkivverket.no/Noark/Exchange/IEDUImport/PutMessage`; ePhorte, WebSak and the plain
/// `noarkExchange.wsdl` declare `soapAction=""`.
public enum NoarkSystemType: String, Sendable, Hashable, CaseIterable {
    case p360 = "P360"
    case ePhorte = "ePhorte"
    case webSak = "WebSak"
    /// Any endpoint implementing the upstream's own `noarkExchange.wsdl`.
    case noarkExchange = "noarkExchange"

    /// Reads `difi.move.noarkSystem.type`, ignoring case; nil for an unknown name (`mail` included: delivery
    /// by e-mail is not supported).
    public init?(configured: String) {
        let lower = configured.trimmingCharacters(in: .whitespaces).lowercased()
        guard let match = Self.allCases.first(where: { $0.rawValue.lowercased() == lower }) else { return nil }
        self = match
    }

    /// The SOAPAction header value (quoted, as SOAP 1.1 wants) for `PutMessage`.
    public var putMessageSOAPAction: String {
        switch self {
        case .p360: "\"http://www.arkivverket.no/Noark/Exchange/IEDUImport/PutMessage\""
        case .ePhorte, .webSak, .noarkExchange: "\"\""
        }
    }

    /// The SOAP 1.1 `PutMessage` request that delivers `melding` to the archive system.
    public func putMessageRequest(envelope: NoarkEnvelope, melding: Melding) -> String {
        putMessageRequest(envelope: envelope, payload: melding.write(declaration: false))
    }

    /// The SOAP 1.1 `PutMessage` request that carries `payload` (XML text, sent escaped).
    public func putMessageRequest(envelope: NoarkEnvelope, payload: String) -> String {
        var w = XMLWriter(declaration: false)
        w.open("ne:PutMessageRequest", ["xmlns:ne": NoarkExchangeNamespaces.types])
        w.open("envelope", ["conversationId": envelope.conversationId, "contentNamespace": envelope.contentNamespace])
        envelope.sender.write(as: "sender", into: &w)
        envelope.receiver.write(as: "receiver", into: &w)
        w.close("envelope")
        w.element("payload", payload)
        w.close("ne:PutMessageRequest")
        return SOAPEnvelope.wrap(w.text)
    }
}
