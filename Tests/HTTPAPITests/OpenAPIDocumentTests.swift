import Engine
import Foundation
@testable import HTTPAPI
import Hummingbird
import HummingbirdTesting
import Model
import Testing

/// The OpenAPI document cannot drift from the router: every route is documented and every documented operation is
/// a route, and the served document is the committed file.
@Suite struct OpenAPIDocumentTests {
    struct NoCapabilities: CapabilityLookup {
        func capabilities(of receiver: String, process: String?, securityLevel: Int?) async throws -> Capabilities {
            Capabilities(capabilities: [])
        }
    }

    static func document() throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8))
        return try #require(object as? [String: Any])
    }

    static func documentedOperations() throws -> Set<String> {
        let paths = try #require(try document()["paths"] as? [String: [String: Any]])
        var operations = Set<String>()
        for (path, item) in paths {
            for method in item.keys where ["get", "put", "post", "delete", "patch", "head", "options"].contains(method) {
                operations.insert("\(method.uppercased()) \(path)")
            }
        }
        return operations
    }

    @Test func everyRouteIsDocumentedAndEveryDocumentedOperationIsARoute() throws {
        let fixture = try APIFixture()
        var api = fixture.api
        api.capabilities = NoCapabilities()
        let router = api.router()
        let served = Set(router.routes.map { route -> String in
            var path = "\(route.path)"
            if !path.hasPrefix("/") { path = "/" + path }
            return "\(route.method.rawValue) \(path)"
        })
        let documented = try Self.documentedOperations()
        #expect(served.subtracting(documented).sorted() == [], "routes missing from openapi/openapi.json (run scripts/generate-openapi.py after adding them there)")
        #expect(documented.subtracting(served).sorted() == [], "documented operations that the router does not serve")
        #expect(served.count > 30)
    }

    @Test func theEmbeddedDocumentIsTheCommittedFile() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("openapi/openapi.json")
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(text == OpenAPIDocument.json + "\n" || text == OpenAPIDocument.json,
                "run scripts/generate-openapi.py: Sources/HTTPAPI/OpenAPI/OpenAPIDocument.swift is stale")
    }

    @Test func everySchemaReferenceResolves() throws {
        let text = OpenAPIDocument.json
        let document = try Self.document()
        let components = try #require(document["components"] as? [String: [String: Any]])
        let pattern = try NSRegularExpression(pattern: "\"#/components/(schemas|responses)/([A-Za-z0-9]+)\"")
        let matches = pattern.matches(in: text, range: NSRange(text.startIndex..., in: text))
        #expect(!matches.isEmpty)
        for match in matches {
            let kind = String(text[Range(match.range(at: 1), in: text)!])
            let name = String(text[Range(match.range(at: 2), in: text)!])
            #expect(components[kind]?[name] != nil, "unresolved reference #/components/\(kind)/\(name)")
        }
    }

    @Test func servedAtApiOpenapiJsonWithCredentials() async throws {
        let fixture = try APIFixture()
        try await fixture.run { client in
            let denied = try await client.execute(uri: "/api/openapi.json", method: .get)
            #expect(denied.status == .unauthorized)
            let response = try await client.execute(uri: "/api/openapi.json", method: .get, headers: APIFixture.auth)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json")
            let object = try response.object()
            #expect(object["openapi"] as? String == "3.0.3")
        }
    }
}
