import Foundation
import Hummingbird
import Synchronization

/// The service registry's `GET /sastoken`: the Service Bus shared access key for DPE, as text, inside a JWS signed
/// with the registry's key when the caller accepts `application/jose` (as every registry answer).
///
/// Kept beside the bus twin, whose current key it hands out; the registry adds it with `addRoutes(to:prefix:)`.
public final class SandboxSASTokenEndpoint: Sendable {
    private let bus: SandboxServiceBus
    private let signer: SandboxTokenSigner
    private let state = Mutex<(keyOverride: String?, failuresLeft: Int, requests: Int)>((nil, 0, 0))

    public init(bus: SandboxServiceBus, signer: SandboxTokenSigner) {
        self.bus = bus
        self.signer = signer
    }

    // MARK: Test controls

    /// Hands out `key` instead of the bus's key (`nil`: the bus's key again): a registry out of step with the bus.
    public func handOut(_ key: String?) { state.withLock { $0.keyOverride = key } }

    /// The next `count` requests answer 503, as a registry in maintenance does.
    public func failNext(_ count: Int = 1) { state.withLock { $0.failuresLeft = count } }

    /// Requests received.
    public var requestCount: Int { state.withLock { $0.requests } }

    // MARK: Routes

    public func addRoutes(to router: Router<BasicRequestContext>, prefix: String = "") {
        let group = router.group(RouterPath(prefix.isEmpty ? "/" : prefix))
        group.get("sastoken") { request, _ in try self.answer(request) }
    }

    func answer(_ request: Request) throws -> Response {
        let (override, failing) = state.withLock { state -> (String?, Bool) in
            state.requests += 1
            guard state.failuresLeft > 0 else { return (state.keyOverride, false) }
            state.failuresLeft -= 1
            return (state.keyOverride, true)
        }
        if failing {
            return HTTPAnswer.json(["error_code": "", "error_description": "Service temporarily unavailable."], status: .serviceUnavailable)
        }
        let key = override ?? bus.key
        guard (request.headers[.accept] ?? "").contains("application/jose") else {
            return HTTPAnswer.text(key)
        }
        return HTTPAnswer.text(try signer.sign(payload: Data(key.utf8), type: nil), contentType: "application/jose")
    }
}
