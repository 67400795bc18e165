import Foundation
import NIOCore

/// What the Service Bus client needs (`difi.move.nextmove.serviceBus.*`).
public struct ServiceBusConfiguration: Sendable {
    /// `baseUrl`: the namespace host, e.g. `efm-dpe-qa.servicebus.windows.net` (a port is allowed, no scheme).
    public var host: String
    /// `useHttps`.
    public var useHTTPS: Bool
    /// `sasKeyName`.
    public var keyName: String
    /// `connectTimeout`: the upstream uses it as connect and response timeout alike (15 s).
    public var requestTimeout: TimeAmount
    /// How long a peek-lock waits on an empty queue before it answers 204 (the REST API's `timeout`, seconds).
    /// The upstream sends none and so waits Azure's default 60 s, cut off by its 15 s response timeout; a short
    /// wait keeps an empty poll cheap and distinguishes "empty" from "unreachable".
    public var peekWaitSeconds: Int
    /// The largest message body read from the queue. Larger messages are completed and reported, never stored.
    public var maximumMessageBytes: Int

    public init(host: String, useHTTPS: Bool = true, keyName: String = "MoveDPE-pilotPolicy",
                requestTimeout: TimeAmount = .seconds(15), peekWaitSeconds: Int = 1,
                maximumMessageBytes: Int = 16 << 20) {
        self.host = host
        self.useHTTPS = useHTTPS
        self.keyName = keyName
        self.requestTimeout = requestTimeout
        self.peekWaitSeconds = peekWaitSeconds
        self.maximumMessageBytes = maximumMessageBytes
    }

    /// `http(s)://<host>`, without a trailing slash.
    public var baseURL: String {
        var host = self.host
        while host.hasSuffix("/") { host.removeLast() }
        return "\(useHTTPS ? "https" : "http")://\(host)"
    }

    /// The resource URI of a queue path, as it is signed and requested (no query).
    func resourceURI(_ path: String) -> String { HTTPExchange.join(baseURL, path) }
}
