import Foundation
import Sandbox
import Testing

/// Messages whose time to live (`expectedResponseDateTime`) passes before they are sent or before they arrive,
/// on the binaries, with the answers compared whole with the upstream's (`nextmove-api.md` §1.3, §5.1).
@Suite("Time to live end to end: two integration point binaries on the sandbox network", .serialized)
struct TimeToLiveEndToEndTests {
    /// The expiry sweep every 300 ms instead of 30 s, so that the tests wait for it briefly.
    static func sweepOften(_ organisation: SandboxNetwork.Organisation) throws {
        let handle = try FileHandle(forWritingTo: organisation.propertiesPath)
        defer { try? handle.close() }
        handle.seekToEndOfFile()
        handle.write(Data("\ndifi.move.nextmove.ttlPollingrate=300\n".utf8))
    }

    /// `date` as a client writes it, with a fixed +02:00 offset (the upstream echoes the client's offset).
    static func clientTime(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: 7200)
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ssxxx"
        return formatter.string(from: date)
    }

    static func instant(_ text: String?) -> Date? {
        guard let text else { return nil }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }

    /// An arkivmelding SBD from A to B that expires at `expiry` (client text).
    static func sbd(messageId: String, conversationId: String, expiry: String) -> Data {
        Data("""
        {"standardBusinessDocumentHeader":{"headerVersion":"1.0",
          "sender":[{"identifier":{"authority":"iso6523-actorid-upis","value":"0192:\(SandboxPair.senderOrg)"}}],
          "receiver":[{"identifier":{"authority":"iso6523-actorid-upis","value":"0192:\(SandboxPair.receiverOrg)"}}],
          "documentIdentification":{"standard":"urn:no:difi:arkivmelding:xsd::arkivmelding","typeVersion":"2.0",
            "instanceIdentifier":"\(messageId)","type":"arkivmelding"},
          "businessScope":{"scope":[{"type":"ConversationId","instanceIdentifier":"\(conversationId)",
            "identifier":"urn:no:difi:profile:arkivmelding:administrasjon:ver1.0",
            "scopeInformation":[{"expectedResponseDateTime":"\(expiry)"}]}]}},
         "arkivmelding":{"sikkerhetsnivaa":3,"hoveddokument":"arkivmelding.xml"}}
        """.utf8)
    }

    /// Create and upload arkivmelding.xml and vedlegg.pdf at A, without sending.
    static func createWithFiles(_ pair: SandboxPair, messageId: String, conversationId: String, expiry: String) async throws {
        try pair.expect(await pair.call(pair.a, "POST", "/api/messages/out",
                                        body: sbd(messageId: messageId, conversationId: conversationId, expiry: expiry),
                                        headers: ["Content-Type": "application/json"]), "create")
        try pair.expect(await pair.call(pair.a, "PUT", "/api/messages/out/\(messageId)",
                                        body: Data(SandboxPair.arkivmelding.utf8),
                                        headers: ["Content-Type": "application/xml",
                                                  "Content-Disposition": "attachment; name=Arkivmelding; filename=arkivmelding.xml"]), "upload")
        try pair.expect(await pair.call(pair.a, "PUT", "/api/messages/out/\(messageId)", body: Data("pdf".utf8),
                                        headers: ["Content-Type": "application/pdf",
                                                  "Content-Disposition": "attachment; name=Vedlegg; filename=vedlegg.pdf"]), "upload")
    }

    static func json(_ data: Data) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
    }

    /// The statuses of `messageId` at `node` (`/api/statuses/{messageId}`, id order), waiting until `last` is there.
    static func statuses(_ pair: SandboxPair, _ node: IntegrationPointProcess, _ messageId: String, until last: String,
                         timeout: TimeInterval = 60) async throws -> [[String: Any]] {
        let deadline = Date().addingTimeInterval(timeout)
        var content: [[String: Any]] = []
        while Date() < deadline {
            let reply = try await pair.call(node, "GET", "/api/statuses/\(messageId)?size=50")
            content = json(reply.body)["content"] as? [[String: Any]] ?? []
            if content.contains(where: { $0["status"] as? String == last }) { return content }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw E2EError("\(last) did not appear for \(messageId) within \(timeout) s; statuses: \(content)")
    }

    /// The parts of a status entry that do not depend on the moment: status, description, ids.
    static func summary(_ status: [String: Any]) -> [String] {
        [status["status"] as? String ?? "?", status["description"] as? String ?? "-", status["messageId"] as? String ?? "?",
         status["conversationId"] as? String ?? "?"]
    }

    @Test("Expired between create and send: the send answers the upstream's 400 TimeToLiveException body, the message can still be read, and /api/statuses and /api/conversations show OPPRETTET then LEVETID_UTLOPT")
    func expiredBetweenCreateAndSend() async throws {
        let pair = try await SandboxPair.start(configure: Self.sweepOften)
        do {
            let messageId = UUID().uuidString.lowercased()
            let conversationId = UUID().uuidString.lowercased()
            let expiry = Self.clientTime(Date().addingTimeInterval(5))
            try await Self.createWithFiles(pair, messageId: messageId, conversationId: conversationId, expiry: expiry)
            // The time to live passes and A's expiry sweep ends the message before the client sends it.
            let history = try await Self.statuses(pair, pair.a, messageId, until: "LEVETID_UTLOPT")
            #expect(history.map(Self.summary) == [["OPPRETTET", "-", messageId, conversationId],
                                                  ["LEVETID_UTLOPT", "-", messageId, conversationId]])

            let path = "/api/messages/out/\(messageId)"
            let send = try await pair.call(pair.a, "POST", path)
            #expect(send.status == 400)
            var body = Self.json(send.body)
            #expect(Self.instant(body.removeValue(forKey: "timestamp") as? String) != nil, "timestamp with an offset")
            let expected: [String: Any] = [
                "status": 400, "error": "Bad Request",
                "exception": "no.difi.meldingsutveksling.exceptions.TimeToLiveException",
                "message": "ExpectedResponseDateTime \(expiry) has been exceeded. Please resend the message",
                "path": path,
            ]
            #expect(NSDictionary(dictionary: body) == NSDictionary(dictionary: expected),
                    "\(String(decoding: send.body, as: UTF8.self))")
            let again = try await pair.call(pair.a, "POST", path)
            #expect(again.status == 400 && Self.json(again.body)["message"] as? String == expected["message"] as? String,
                    "a repeated send answers the same")

            let get = try await pair.call(pair.a, "GET", path)
            #expect(get.status == 200)
            let header = Self.json(get.body)["standardBusinessDocumentHeader"] as? [String: Any]
            #expect((header?["documentIdentification"] as? [String: Any])?["instanceIdentifier"] as? String == messageId)
            let scope = ((header?["businessScope"] as? [String: Any])?["scope"] as? [[String: Any]])?.first
            #expect((scope?["scopeInformation"] as? [[String: Any]])?.first?["expectedResponseDateTime"] as? String == expiry)

            let upload = try await pair.call(pair.a, "PUT", path, body: Data("late".utf8),
                                             headers: ["Content-Type": "application/pdf",
                                                       "Content-Disposition": "attachment; name=Sent; filename=sent.pdf"])
            #expect(upload.status == 400 && Self.json(upload.body)["message"] as? String == expected["message"] as? String,
                    "\(String(decoding: upload.body, as: UTF8.self))")

            let after = try await Self.statuses(pair, pair.a, messageId, until: "LEVETID_UTLOPT")
            #expect(after.map(Self.summary) == history.map(Self.summary), "the refused send added no status")

            let list = try await pair.call(pair.a, "GET", "/api/conversations?size=100")
            #expect(list.status == 200)
            let conversations = Self.json(list.body)["content"] as? [[String: Any]] ?? []
            let conversation = try #require(conversations.first { $0["messageId"] as? String == messageId },
                                            "listed by /api/conversations: \(String(decoding: list.body, as: UTF8.self))")
            let statuses = (conversation["messageStatuses"] as? [[String: Any]] ?? [])
                .sorted { ($0["id"] as? Int ?? 0) < ($1["id"] as? Int ?? 0) }
            #expect(statuses.compactMap { $0["status"] as? String } == ["OPPRETTET", "LEVETID_UTLOPT"])
            #expect(conversation["conversationId"] as? String == conversationId)
            #expect(conversation["direction"] as? String == "OUTGOING")
            #expect(conversation["serviceIdentifier"] as? String == "DPO")
            #expect(conversation["finished"] as? Bool == true)
            #expect(conversation["messageReference"] as? String == "e2e-sak-3")
            #expect(conversation["messageTitle"] as? String == "E2E")
            #expect(Self.instant(conversation["expiry"] as? String) == Self.instant(expiry))
            #expect(pair.network.broker.uploadCount == 0, "nothing went to the broker")
        } catch {
            Issue.record("\(error)\nA:\n\(pair.a.log)")
        }
        await pair.stop()
    }

    @Test("A DPO message that has expired when it arrives: the receiver records OPPRETTET then LEVETID_UTLOPT, offers nothing, and lists the conversation")
    func arrivesExpired() async throws {
        let pair = try await SandboxPair.start(configure: Self.sweepOften)
        do {
            // B is away while A sends, and comes back after the time to live.
            pair.b.kill(signal: SIGTERM)
            _ = try await pair.b.waitForExit()
            let messageId = UUID().uuidString.lowercased()
            let conversationId = UUID().uuidString.lowercased()
            let expiry = Self.clientTime(Date().addingTimeInterval(8))
            try await Self.createWithFiles(pair, messageId: messageId, conversationId: conversationId, expiry: expiry)
            try pair.expect(await pair.call(pair.a, "POST", "/api/messages/out/\(messageId)"), "send")
            _ = try await Self.statuses(pair, pair.a, messageId, until: "SENDT")
            _ = try await Self.statuses(pair, pair.a, messageId, until: "LEVETID_UTLOPT")
            try pair.b.start()
            try await pair.b.waitUntilReady()

            let history = try await Self.statuses(pair, pair.b, messageId, until: "LEVETID_UTLOPT")
            #expect(history.map(Self.summary) == [
                ["OPPRETTET", "-", messageId, conversationId],
                ["LEVETID_UTLOPT", "Levetiden for meldingen er utgått. Må sendes på nytt", messageId, conversationId],
            ])
            let peek = try await pair.call(pair.b, "GET", "/api/messages/in/peek")
            #expect(peek.status == 204, "an expired message is not offered")
            let list = try await pair.call(pair.b, "GET", "/api/conversations?direction=INCOMING&messageId=\(messageId)")
            let conversations = Self.json(list.body)["content"] as? [[String: Any]] ?? []
            #expect(conversations.count == 1, "\(String(decoding: list.body, as: UTF8.self))")
            let conversation = conversations.first ?? [:]
            #expect(conversation["conversationId"] as? String == conversationId)
            #expect(conversation["finished"] as? Bool == true)
            #expect(conversation["serviceIdentifier"] as? String == "DPO")
            #expect(Self.instant(conversation["expiry"] as? String) == Self.instant(expiry))
            let statuses = (conversation["messageStatuses"] as? [[String: Any]] ?? [])
                .sorted { ($0["id"] as? Int ?? 0) < ($1["id"] as? Int ?? 0) }
            #expect(statuses.compactMap { $0["status"] as? String } == ["OPPRETTET", "LEVETID_UTLOPT"])
            let atSender = try await Self.statuses(pair, pair.a, messageId, until: "LEVETID_UTLOPT")
            #expect(atSender.compactMap { $0["status"] as? String } == ["OPPRETTET", "SENDT", "LEVETID_UTLOPT"])
        } catch {
            Issue.record("\(error)\nA:\n\(pair.a.log)\nB:\n\(pair.b.log)")
        }
        await pair.stop()
    }
}
