import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NoarkExchange

/// The archive system's BEST/EDU service (`difi.move.noarkSystem.*`): a SOAP 1.1 client for `PutMessage` in the
/// vendor's variant.
///
/// Authentication: with `username` and `password`, HTTP Basic (preemptive). With `domain` as well, the user is sent
/// as `DOMAIN\username`, which IIS accepts for Basic authentication of a Windows account. The upstream used NTLM
/// for some P360 installations; NTLM is not spoken here, so enable Basic authentication on the archive system's
/// web service (over HTTPS) when it is a Windows domain account.
public struct NoarkSystemClient: Sendable {
    public struct Configuration: Sendable {
        public var endpointURL: String
        public var type: NoarkSystemType
        public var username: String?
        public var password: String?
        public var domain: String?
        public var timeout: TimeAmount

        public init(endpointURL: String, type: NoarkSystemType, username: String? = nil, password: String? = nil,
                    domain: String? = nil, timeout: TimeAmount = .seconds(120)) {
            self.endpointURL = endpointURL
            self.type = type
            self.username = username
            self.password = password
            self.domain = domain
            self.timeout = timeout
        }

        /// The `Authorization` header value, or nil when no user is configured.
        var authorization: String? {
            guard let username, !username.isEmpty else { return nil }
            let user = domain.map { $0.isEmpty ? username : "\($0)\\\(username)" } ?? username
            return "Basic " + Data("\(user):\(password ?? "")".utf8).base64EncodedString()
        }
    }

    /// The archive system answered, but not with a SOAP envelope.
    public struct UnexpectedAnswer: Error, CustomStringConvertible {
        public var status: Int
        public var excerpt: String
        public var description: String { "HTTP \(status) without a SOAP answer: \(excerpt)" }
    }

    let configuration: Configuration
    let http: HTTPClient

    public init(configuration: Configuration, http: HTTPClient) {
        self.configuration = configuration
        self.http = http
    }

    /// Sends `PutMessage` and returns the archive system's receipt; a SOAP fault is thrown as ``SOAPFault``.
    public func putMessage(envelope: NoarkEnvelope, melding: Melding) async throws -> AppReceipt {
        let body = configuration.type.putMessageRequest(envelope: envelope, melding: melding)
        var request = HTTPClientRequest(url: configuration.endpointURL)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: SOAPEnvelope.contentType)
        request.headers.add(name: "SOAPAction", value: configuration.type.putMessageSOAPAction)
        if let authorization = configuration.authorization { request.headers.add(name: "Authorization", value: authorization) }
        request.body = .bytes(ByteBuffer(string: body))
        let answer = try await HTTPExchange.send(request, on: http, timeout: configuration.timeout)
        // SOAP 1.1 answers faults with HTTP 500, so the body decides, not the status.
        guard let root = try? XMLTree.parse(answer.body), root.name == "Envelope" else {
            throw UnexpectedAnswer(status: answer.status, excerpt: String(answer.text.prefix(300)))
        }
        return try NoarkExchangeResponse.readPutMessage(answer.body)
    }
}
