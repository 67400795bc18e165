import Engine
import Foundation
import HTTPAPI
import Hummingbird
import HummingbirdTesting
import Model
import NIOCore
import TestSupport

/// The NextMove API over real HTTP on loopback, on top of an engine fixture.
struct APIFixture: Sendable {
    let engine: EngineFixture
    let api: NextMoveAPI
    static let user = "ip-user"
    static let password = "s3cret-pass"

    init(security: Bool = true, configure: (inout EngineSettings) -> Void = { _ in }) throws {
        engine = try EngineFixture(configure: configure)
        api = NextMoveAPI(
            outgoing: engine.outgoing, incoming: engine.incoming, statuses: StatusService(store: engine.store),
            conversations: ConversationService(store: engine.store), subscriptions: engine.subscriptions,
            health: HealthService(store: engine.store), info: ["name": "integrasjonspunkt", "version": "test"],
            security: .init(enabled: security, username: Self.user, password: Self.password), time: engine.time)
    }

    /// Runs `body` against the API served on a loopback port.
    func run(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let app = Application(router: api.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in try await body(client) }
    }

    static var auth: HTTPFields {
        let token = Data("\(user):\(password)".utf8).base64EncodedString()
        return [.authorization: "Basic \(token)"]
    }

    static func json(_ extra: HTTPFields = [:]) -> HTTPFields {
        var headers = auth
        headers[.contentType] = "application/json"
        for field in extra { headers[field.name] = field.value }
        return headers
    }
}

extension TestResponse {
    /// The body parsed as a JSON object.
    func object() throws -> [String: Any] {
        let data = Data(buffer: body)
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw APITestError("expected a JSON object, got \(String(decoding: data, as: UTF8.self))")
        }
        return object
    }

    var text: String { String(buffer: body) }
}

struct APITestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
