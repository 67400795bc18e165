import Foundation

/// A SOAP fault to answer (server side) or that an archive system answered (client side).
public struct SOAPFault: Error, Sendable, Hashable, CustomStringConvertible {
    /// `soap:Client` (the request is wrong) or `soap:Server` (we failed).
    public var code: String
    public var message: String

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    public static func client(_ message: String) -> SOAPFault { SOAPFault(code: "soap:Client", message: message) }
    public static func server(_ message: String) -> SOAPFault { SOAPFault(code: "soap:Server", message: message) }

    public var description: String { "SOAP fault \(code): \(message)" }

    /// The fault as a SOAP 1.1 envelope (answered with HTTP 500, as SOAP 1.1 requires).
    public func envelope() -> String {
        var w = XMLWriter(declaration: false)
        w.open("soap:Fault")
        w.element("faultcode", code)
        w.element("faultstring", message)
        w.close("soap:Fault")
        return SOAPEnvelope.wrap(w.text)
    }
}

/// SOAP 1.1 envelopes: reading the body's element, writing an envelope around one.
public enum SOAPEnvelope {
    public static let contentType = "text/xml; charset=utf-8"

    /// The first element of the body. A SOAP fault in the body is thrown as the ``SOAPFault`` it carries.
    public static func bodyElement(of data: Data) throws(SOAPFault) -> XMLTree {
        let root: XMLTree
        do {
            root = try XMLTree.parse(data)
        } catch {
            throw .client("The request is not a SOAP envelope: \(error). Send a SOAP 1.1 envelope as described by /noarkExchange?wsdl.")
        }
        guard root.name == "Envelope",
              root.namespace == NoarkExchangeNamespaces.soap11 || root.namespace == NoarkExchangeNamespaces.soap12 else {
            throw .client("The request is a {\(root.namespace ?? "")}\(root.name) document, not a SOAP 1.1 Envelope ({\(NoarkExchangeNamespaces.soap11)}Envelope).")
        }
        guard let body = root.child("Body") else {
            throw .client("The SOAP envelope has no Body element.")
        }
        guard let element = body.children.first else {
            throw .client("The SOAP Body is empty: it must hold a GetCanReceiveMessageRequest or a PutMessageRequest.")
        }
        if element.name == "Fault" {
            let text = element.value("faultstring") ?? element.descendant("Text")?.text ?? "(no faultstring)"
            throw SOAPFault(code: element.value("faultcode") ?? "soap:Server", message: text)
        }
        return element
    }

    /// `body` (XML text) in a SOAP 1.1 envelope.
    public static func wrap(_ body: String) -> String {
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
            + "<soap:Envelope xmlns:soap=\"\(NoarkExchangeNamespaces.soap11)\"><soap:Body>"
            + body + "</soap:Body></soap:Envelope>"
    }
}

/// The answers of the noarkExchange service, as SOAP 1.1 envelopes.
public enum NoarkExchangeResponse {
    public static func getCanReceiveMessage(_ result: Bool) -> String {
        SOAPEnvelope.wrap("<ne:GetCanReceiveMessageResponse xmlns:ne=\"\(NoarkExchangeNamespaces.types)\">"
                          + "<result>\(result)</result></ne:GetCanReceiveMessageResponse>")
    }

    public static func putMessage(_ receipt: AppReceipt) -> String {
        SOAPEnvelope.wrap("<ne:PutMessageResponse xmlns:ne=\"\(NoarkExchangeNamespaces.types)\">"
                          + receipt.write(as: "result") + "</ne:PutMessageResponse>")
    }

    /// Reads a `PutMessageResponse` envelope (client side). A fault is thrown as ``SOAPFault``; an answer without
    /// a `result` is reported as an ERROR receipt that says so.
    public static func readPutMessage(_ data: Data) throws(SOAPFault) -> AppReceipt {
        let element = try SOAPEnvelope.bodyElement(of: data)
        guard element.name == "PutMessageResponse" || element.name == "PutMessageResult" else {
            return .error(code: AppReceipt.Code.unknown, "The archive system answered \(element.name), not a PutMessageResponse.")
        }
        guard let result = element.child("result") ?? element.child("PutMessageResult") else {
            return .error(code: AppReceipt.Code.unknown, "The archive system's PutMessageResponse has no result.")
        }
        return AppReceipt(element: result)
    }
}
