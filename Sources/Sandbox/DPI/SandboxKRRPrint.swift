import Foundation
import Hummingbird
import Synchronization

/// The contact register's print certificate endpoint of the sandbox (`GET /rest/v2/printSertifikat`): the print
/// provider's organisation number and certificate, which print letters are encrypted to.
public final class SandboxKRRPrint: Sendable {
    public static let path = "/rest/v2/printSertifikat"

    public let printProvider: SandboxIdentity
    private let state = Mutex((requests: 0, failuresLeft: 0))

    public init(printProvider: SandboxIdentity) {
        self.printProvider = printProvider
    }

    /// Requests received, for tests of the five-minute cache.
    public var requestCount: Int { state.withLock { $0.requests } }

    /// The next `count` requests answer 503.
    public func failNext(_ count: Int = 1) { state.withLock { $0.failuresLeft = count } }

    public func addRoutes(to router: Router<BasicRequestContext>) {
        router.get(RouterPath(Self.path)) { _, _ in
            let failing = self.state.withLock { state -> Bool in
                state.requests += 1
                guard state.failuresLeft > 0 else { return false }
                state.failuresLeft -= 1
                return true
            }
            if failing { return HTTPAnswer.problem(.serviceUnavailable, title: "Service Unavailable", detail: "Injected fault") }
            return HTTPAnswer.json(["postkasseleverandoerAdresse": self.printProvider.organisationNumber,
                                    "x509Sertifikat": self.printProvider.certificatePEM])
        }
    }
}
