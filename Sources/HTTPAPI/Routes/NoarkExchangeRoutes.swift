import Engine
import Foundation
import Hummingbird
import Logging
import NoarkExchange

/// `POST /noarkExchange` (BEST/EDU SOAP 1.1, `noarkExchange.wsdl`) and `GET /noarkExchange?wsdl`, behind the same
/// Basic authentication as `/api` (`nextmove-api.md` §7).
///
/// The WSDL declares `soapAction=""`; any SOAPAction is accepted, since the operation is named by the body's
/// element (P360-style clients send their own action). Every answer is SOAP: the operation's response, an
/// `AppReceipt` of type ERROR for a `PutMessage` that cannot be accepted, or a fault (HTTP 500, as SOAP 1.1 wants)
/// for a request that is not a call of this service.
struct NoarkExchangeRoutes {
    let service: NoarkExchangeService
    /// The largest request read; BEST/EDU carries the files base64-encoded inside it.
    let maximumRequestSize: Int
    /// `http` or `https`: the scheme of the address written into the WSDL.
    let scheme: String

    func add(to router: Router<some RequestContext>) {
        router.get("noarkExchange") { request, _ -> Response in
            let query = (request.uri.query ?? "").lowercased().split(separator: "&")
            guard query.contains(where: { $0 == "wsdl" || $0.hasPrefix("wsdl=") }) else {
                return Self.text("This is the BEST/EDU noarkExchange SOAP 1.1 endpoint. POST SOAP requests here; the WSDL is at ?wsdl.\n",
                                 contentType: "text/plain; charset=utf-8")
            }
            let host = request.head.authority ?? "localhost"
            return Self.text(NoarkExchangeWSDL.document(location: "\(scheme)://\(host)/noarkExchange"),
                             contentType: "text/xml; charset=utf-8")
        }
        router.post("noarkExchange") { request, context -> Response in
            var request = request
            let body: ByteBuffer
            do {
                body = try await request.collectBody(upTo: maximumRequestSize)
            } catch {
                return Self.fault(.client("The request is larger than \(maximumRequestSize / (1 << 20)) MB, the most this endpoint reads. Send smaller documents, or use the NextMove API (/api/messages/out), which streams."),
                                  status: .contentTooLarge)
            }
            return await answer(Data(buffer: body), logger: context.logger)
        }
    }

    private func answer(_ body: Data, logger: Logger) async -> Response {
        let call: NoarkExchangeRequest
        do {
            call = try NoarkExchangeRequest.parse(body)
        } catch {
            logger.info("noarkExchange request refused: \(error.message)")
            return Self.fault(error, status: .internalServerError)
        }
        switch call {
        case .getCanReceiveMessage(let receiver):
            let result = await service.canReceive(receiver)
            return Self.text(NoarkExchangeResponse.getCanReceiveMessage(result), contentType: SOAPEnvelope.contentType)
        case .putMessage(let envelope, let payload):
            let receipt = await service.putMessage(envelope: envelope, payload: payload)
            if receipt.type != .OK {
                logger.info("noarkExchange PutMessage answered \(receipt.summary)",
                            metadata: ["conversationId": "\(envelope.conversationId)"])
            }
            return Self.text(NoarkExchangeResponse.putMessage(receipt), contentType: SOAPEnvelope.contentType)
        }
    }

    static func fault(_ fault: SOAPFault, status: HTTPResponse.Status) -> Response {
        var response = text(fault.envelope(), contentType: SOAPEnvelope.contentType)
        response.status = status
        return response
    }

    static func text(_ text: String, contentType: String) -> Response {
        Response(status: .ok, headers: [.contentType: contentType], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
