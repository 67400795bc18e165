import AsyncHTTPClient
import Channels
import Foundation
import Hummingbird
import Logging
import Sandbox
import Synchronization
import Testing
import TestTools

@Suite("A token request that hangs ends when its caller is cancelled (a poller at shutdown)")
struct TokenCancellationTests {
    @Test("Maskinporten does not answer; cancelling the caller ends the wait with an error, not after the HTTP timeout")
    func cancelledCallerCancelsTheRequest() async throws {
        let arrived = Mutex(false)
        let released = Mutex(false)
        let router = Router()
        router.post("token") { _, _ -> String in
            arrived.withLock { $0 = true }
            // Answers after 10 s at the latest, so a caller that does not give up gets a token and the test fails.
            let latest = Date().addingTimeInterval(10)
            while !released.withLock({ $0 }), Date() < latest { try await Task.sleep(for: .milliseconds(50)) }
            return #"{"access_token":"late","expires_in":120,"scope":"eformidling:dpe"}"#
        }
        var logger = Logger(label: "hanging-maskinporten")
        logger.logLevel = .critical
        let server = try await SandboxHTTPServer.start(router: router, name: "hanging Maskinporten", logger: logger)
        let identity = try SandboxCertificateAuthority(key: try TestKeys.key("dpe-ca", 2048))
            .issueVirksomhetssertifikat(organisationNumber: sender, organisationName: "Avsender", key: try TestKeys.key("dpe-sender", 2048))
        let client = MaskinportenClient(
            configuration: .init(tokenURL: server.baseURL + "/token", audience: server.baseURL + "/", organisationNumber: sender,
                                 clientID: nil, keystore: try identity.keystoreEntry(), timeout: .seconds(600)),
            httpClient: .shared)
        let caller = Task { try await client.accessToken(scopes: ["eformidling:dpe"]) }
        let deadline = Date().addingTimeInterval(30)
        while !arrived.withLock({ $0 }), Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(arrived.withLock { $0 }, "the request reached the server")
        caller.cancel()
        let result = await caller.result
        released.withLock { $0 = true }
        await server.stop()
        guard case .failure = result else {
            Issue.record("the cancelled caller got a token: it waited for the server instead of giving up")
            return
        }
    }
}
