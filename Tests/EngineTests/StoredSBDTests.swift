import Foundation
import Testing
@testable import Engine
import Model
import TestSupport

@Suite("Stored SBDs")
struct StoredSBDTests {
    @Test("decoding the same stored JSON again gives the same document; a different JSON is decoded on its own")
    func decodesAgainFromMemory() throws {
        let fixture = try EngineFixture()
        let first = try fixture.arkivmelding()
        let second = try fixture.arkivmelding()
        let firstJSON = try StoredSBD.encode(first)
        let secondJSON = try StoredSBD.encode(second)
        let direct = try StandardBusinessDocument.decode(from: Data(firstJSON.utf8))
        #expect(try StoredSBD.decode(firstJSON) == direct)
        #expect(try StoredSBD.decode(firstJSON) == direct)
        #expect(try StoredSBD.decode(secondJSON) == StandardBusinessDocument.decode(from: Data(secondJSON.utf8)))
        #expect(try StoredSBD.decode(secondJSON).messageId == second.messageId)
        #expect(second.messageId != first.messageId)
    }

    @Test("only the last documents are kept, the oldest going first")
    func keepsTheLastFew() throws {
        let fixture = try EngineFixture()
        let recent = RecentDocuments(capacity: 2)
        let documents = try (0..<3).map { _ in try fixture.arkivmelding() }
        for (n, document) in documents.enumerated() { recent.remember(document, for: "json \(n)") }
        #expect(recent.document(for: "json 0") == nil)
        #expect(recent.document(for: "json 1") == documents[1])
        #expect(recent.document(for: "json 2") == documents[2])
    }
}
