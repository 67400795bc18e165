import Foundation
import Testing
@testable import Engine
import Model
import Storage
import TestSupport

@Suite("Sending: create, upload, send, deliver")
struct OutgoingFlowTests {
    @Test("A sent message is delivered once, files in order, and ends SENDT with its files removed")
    func deliversOnce() async throws {
        let f = try EngineFixture()
        let messageId = try await f.createAndSend()
        #expect(try await f.statuses(messageId) == [.OPPRETTET])
        #expect(try await f.worker.runOnce() == 1)
        #expect(f.channel.delivered.count == 1)
        let delivered = try #require(f.channel.delivered.first)
        #expect(delivered.delivery.files.map(\.filename) == ["arkivmelding.xml", "vedtak.pdf"])
        #expect(delivered.contents["vedtak.pdf"]?.count == 10_000)
        #expect(try await f.statuses(messageId) == [.OPPRETTET, .SENDT])
        #expect(try await f.worker.runOnce() == 0)
        await #expect(throws: NextMoveError.self) { _ = try await f.outgoing.message(messageId: messageId) }
        #expect(!f.payloads.exists(messageId: messageId, key: "anything"))
    }

    @Test("Create fills in the defaults and records OPPRETTET; an exact repeat answers the same document")
    func createIsIdempotent() async throws {
        let f = try EngineFixture()
        let sbd = try f.arkivmelding()
        let first = try await f.outgoing.create(sbd)
        #expect(first.creationDateAndTime != nil)
        let again = try await f.outgoing.create(sbd)
        #expect(again == first)
        let messageId = try #require(first.messageId)
        #expect(try await f.statuses(messageId) == [.OPPRETTET])
    }

    @Test("The same messageId with other content is refused as a duplicate")
    func duplicateWithOtherContent() async throws {
        let f = try EngineFixture()
        let sbd = try f.arkivmelding(messageId: "0b6f1d62-7b8a-4e1c-9f0e-2d4b1f3c5a71")
        _ = try await f.outgoing.create(sbd)
        var other = sbd
        other.businessMessage = .arkivmelding(ArkivmeldingMessage(hoveddokument: "annet.xml", sikkerhetsnivaa: 4))
        let error = await #expect(throws: NextMoveError.self) { try await f.outgoing.create(other) }
        #expect(error?.message == "Message with messageId = 0b6f1d62-7b8a-4e1c-9f0e-2d4b1f3c5a71 already exists")
    }

    @Test("Sending twice queues one delivery")
    func sendIsIdempotent() async throws {
        let f = try EngineFixture()
        let messageId = try await f.createAndSend()
        try await f.outgoing.send(messageId: messageId)
        #expect(try await f.store.read { tx in try tx.jobs(messageId: messageId).count } == 1)
    }

    @Test("Send without files is refused with the upstream text")
    func sendWithoutFiles() async throws {
        let f = try EngineFixture()
        let created = try await f.outgoing.create(try f.arkivmelding())
        let error = await #expect(throws: NextMoveError.self) { try await f.outgoing.send(messageId: created.messageId!) }
        #expect(error?.message == "There must always be at least one attachment")
    }

    @Test("An arkivmelding must come with arkivmelding.xml and every file it references")
    func arkivmeldingReferences() async throws {
        let f = try EngineFixture()
        let created = try await f.outgoing.create(try f.arkivmelding())
        let messageId = try #require(created.messageId)
        try await f.upload(messageId, "vedtak.pdf", [1, 2, 3], type: "application/pdf")
        let missing = await #expect(throws: NextMoveError.self) { try await f.outgoing.send(messageId: messageId) }
        #expect(missing?.message == "DPO message type requires arkivmelding.xml attachment")
        let other = try await f.outgoing.create(try f.arkivmelding())
        try await f.upload(other.messageId!, "arkivmelding.xml", Array(EngineFixture.arkivmeldingXML.utf8), type: "application/xml")
        let unreferenced = await #expect(throws: NextMoveError.self) { try await f.outgoing.send(messageId: other.messageId!) }
        #expect(unreferenced?.message == "File(s) defined in arkivmelding, but not found in message: vedtak.pdf")
    }

    @Test("Uploading arkivmelding.xml sets the conversation's title and reference")
    func arkivmeldingSetsTitle() async throws {
        let f = try EngineFixture()
        let messageId = try await f.createAndSend()
        let conversation = try #require(try await f.store.read { tx in try tx.conversation(messageId: messageId, direction: .OUTGOING) })
        #expect(conversation.messageTitle == "Vedtak om tilskudd")
        #expect(conversation.messageReference == "sak-1-7")
    }

    @Test("A duplicate file name is refused")
    func duplicateFilename() async throws {
        let f = try EngineFixture()
        let created = try await f.outgoing.create(try f.arkivmelding())
        try await f.upload(created.messageId!, "a.pdf", [1], type: "application/pdf")
        let error = await #expect(throws: NextMoveError.self) {
            try await f.upload(created.messageId!, "a.pdf", [2], type: "application/pdf")
        }
        #expect(error?.message == "Filename already exists in message: a.pdf.")
    }

    @Test("A file over the channel's limit is refused while it streams, and nothing is stored")
    func sizeLimit() async throws {
        let f = try EngineFixture { $0.uploadSizeLimits[.DPO] = 50_000 }
        let created = try await f.outgoing.create(try f.arkivmelding())
        let messageId = try #require(created.messageId)
        await #expect(throws: NextMoveError.self) {
            try await f.outgoing.upload(messageId: messageId,
                                        file: UploadedFile(filename: "big.pdf", title: nil, contentType: "application/pdf", declaredSize: nil),
                                        content: Chunks(Array(repeating: 7, count: 80_000)))
        }
        #expect(try await f.store.read { tx in try tx.files(messageId: messageId) }.isEmpty)
        let folder = f.root.appendingPathComponent("messages").appendingPathComponent(messageId)
        let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        #expect(leftovers.filter { !$0.hasPrefix(".") }.isEmpty)
    }

    @Test("A receiver the registry does not know is refused at create")
    func unknownReceiver() async throws {
        let f = try EngineFixture()
        var sbd = try f.arkivmelding()
        sbd.standardBusinessDocumentHeader.receiver = [Partner(PartnerIdentifier.organization("999888777"))]
        let error = await #expect(throws: NextMoveError.self) { try await f.outgoing.create(sbd) }
        #expect(error?.httpStatus == 400)
        #expect(error?.message.hasPrefix("Receiver do not accept the document process") == true)
    }
}
