import Foundation
import Hummingbird
import HTTPTypes
import Logging
import NoarkExchange
import Sandbox
import Synchronization

/// A case/archive system's BEST/EDU service on 127.0.0.1: records every `PutMessage` and answers from a script
/// of receipts (OK once the script is used up).
final class FakeArchiveSystem: Sendable {
    struct Call: Sendable {
        var soapAction: String?
        var authorization: String?
        var envelope: NoarkEnvelope
        var melding: Melding?
    }

    private let state: Mutex<(script: [AppReceipt], calls: [Call])>
    private let server: Mutex<SandboxHTTPServer?> = Mutex(nil)

    var url: String { "\(server.withLock { $0?.baseURL } ?? "")/EDUImport.svc/EDUImportService" }
    var calls: [Call] { state.withLock { $0.calls } }

    init(answers script: [AppReceipt] = []) {
        state = Mutex((script, []))
    }

    func start() async throws {
        let router = Router()
        router.post("EDUImport.svc/EDUImportService") { request, _ -> Response in
            var request = request
            let body = try await request.collectBody(upTo: 64 << 20)
            let receipt = self.take(Data(buffer: body), soapAction: request.headers[HTTPField.Name("SOAPAction")!],
                                    authorization: request.headers[.authorization])
            return Response(status: .ok, headers: [.contentType: "text/xml; charset=utf-8"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: NoarkExchangeResponse.putMessage(receipt))))
        }
        let started = try await SandboxHTTPServer.start(
            router: router, name: "fake-archive", logger: Logger(label: "fake-archive", factory: { _ in SwiftLogNoOpLogHandler() }))
        server.withLock { $0 = started }
    }

    func stop() async {
        await server.withLock { $0 }?.stop()
    }

    private func take(_ body: Data, soapAction: String?, authorization: String?) -> AppReceipt {
        var call = Call(soapAction: soapAction, authorization: authorization,
                        envelope: NoarkEnvelope(conversationId: "", sender: .init(orgnr: ""), receiver: .init(orgnr: "")))
        if case .putMessage(let envelope, let payload)? = try? NoarkExchangeRequest.parse(body) {
            call.envelope = envelope
            if case .melding(let melding) = payload { call.melding = melding }
        }
        return state.withLock { state in
            state.calls.append(call)
            return state.script.isEmpty ? .ok : state.script.removeFirst()
        }
    }

    /// Waits until `count` calls arrived.
    func waitForCalls(_ count: Int, timeout: TimeInterval = 60) async throws -> [Call] {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let calls = self.calls
            if calls.count >= count { return calls }
            try await Task.sleep(for: .milliseconds(200))
        }
        return calls
    }
}
