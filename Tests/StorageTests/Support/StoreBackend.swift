import Foundation
import Model
import Storage
import Testing

/// Every `MessageStore` implementation the contract suite runs against. Add a case for a new backend
/// (PostgreSQL) and every contract test runs against it too.
///
/// PostgreSQL runs when `IP_TEST_POSTGRES_URL` names a server (`scripts/test.sh` starts one); in CI it always runs,
/// so that a missing server fails the suite instead of skipping it.
enum StoreBackend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    static var allCases: [StoreBackend] {
        PostgresTestDatabase.isRequested ? [.sqlite, .postgres] : [.sqlite]
    }

    var testDescription: String { rawValue }

    /// A new, empty store.
    func makeStore() async throws -> any MessageStore {
        switch self {
        case .sqlite: try SQLiteMessageStore.inTestFolder()
        case .postgres: try await PostgresMessageStore(configuration: PostgresTestDatabase.configuration())
        }
    }
}

extension SQLiteMessageStore {
    /// A new SQLite store in this test process's folder.
    static func inTestFolder() throws -> SQLiteMessageStore {
        try SQLiteMessageStore(path: TestFolder.make("store").appendingPathComponent("integrasjonspunkt.sqlite").path)
    }
}

/// Instants on a microsecond grid, so that equality after a round trip is exact.
enum Clock {
    static let base: Int64 = 1_700_000_000_123_456

    /// `seconds` after a fixed instant (2023-11-14T22:13:20.123456Z).
    static func at(_ seconds: Double) -> Date {
        Date(microsecondsSince1970: base + Int64((seconds * 1_000_000).rounded()))
    }
}

enum Fixture {
    static func outgoing(_ n: Int, conversationId: String? = nil, receiver: String = "910075918",
                         service: ServiceIdentifier = .DPO, at seconds: Double? = nil) -> OutgoingMessageRecord {
        OutgoingMessageRecord(
            messageId: messageId(n), conversationId: conversationId ?? "conv-\(n)",
            processIdentifier: "urn:no:difi:profile:arkivmelding:administrasjon:ver1.0", receiverIdentifier: receiver,
            senderIdentifier: "910077473", serviceIdentifier: service, sbd: #"{"n":\#(n)}"#,
            createdAt: Clock.at(seconds ?? Double(n)), lastUpdated: Clock.at(seconds ?? Double(n)))
    }

    static func incoming(_ n: Int, receiver: String = "910075918", service: ServiceIdentifier = .DPO,
                         at seconds: Double? = nil) -> IncomingMessageRecord {
        IncomingMessageRecord(
            messageId: messageId(n), conversationId: "conv-\(n)", processIdentifier: "urn:process",
            receiverIdentifier: receiver, senderIdentifier: "910077473", serviceIdentifier: service,
            sbd: #"{"in":\#(n)}"#, payloadKey: "asic.zip", lastUpdated: Clock.at(seconds ?? Double(n)))
    }

    static func conversation(_ n: Int, direction: ConversationDirection = .OUTGOING,
                             service: ServiceIdentifier = .DPO, title: String = "",
                             at seconds: Double? = nil) -> Conversation {
        Conversation(
            conversationId: "conv-\(n)", messageId: messageId(n), sender: "0192:910077473",
            receiver: "0192:910075918", senderIdentifier: "910077473", receiverIdentifier: "910075918",
            processIdentifier: "urn:process", documentIdentifier: "urn:doc", messageTitle: title,
            lastUpdate: Clock.at(seconds ?? Double(n)), direction: direction, serviceIdentifier: service)
    }

    static func messageId(_ n: Int) -> String {
        "00000000-0000-0000-0000-" + String(format: "%012d", n)
    }
}

/// The paging sort term (Foundation has a `SortOrder` of its own).
typealias SortOrder = Model.SortOrder
