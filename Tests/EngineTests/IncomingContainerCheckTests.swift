import Foundation
import Logging
import Packaging
import Testing
@testable import Engine
import Model
import Storage
import TestSupport
import TestTools

/// Incoming containers are opened and verified before the archive system is offered them; the bad ones are
/// built here from a good one with Python's zipfile, an implementation independent of ours.
@Suite("Receiving: incoming containers are checked before they are offered")
struct IncomingContainerCheckTests {
    struct Setup {
        let fixture: EngineFixture
        let incoming: IncomingMessageService
        let folder: URL
        let good: Data
    }

    func setUp(limits: AsicReader.Limits = AsicReader.Limits()) throws -> Setup {
        let f = try EngineFixture()
        let folder = f.root.appendingPathComponent("pki")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let (key, certificate) = try OpenSSL.makeKeyAndCertificate(in: folder)
        let identity = try Keystore.loadPEM(privateKey: Data(contentsOf: key), certificateChain: Data(contentsOf: certificate))
        let good = try AsicWriter(identity: identity, signingTime: f.time.now).data(
            manifest: EformidlingManifest(receiver: "0192:\(EngineFixture.ownOrg)", sender: "0192:\(EngineFixture.receiverOrg)",
                                          primaryDocumentFilename: "arkivmelding.xml", primaryDocumentMimeType: "application/xml"),
            documents: [AsicDocument(filename: "arkivmelding.xml", mimeType: "application/xml",
                                     data: Data("<arkivmelding><tittel>Vedtak</tittel></arkivmelding>".utf8)),
                        AsicDocument(filename: "vedlegg.pdf", mimeType: "application/pdf",
                                     data: Data("%PDF-1.4 vedtak".utf8) + Data(repeating: 7, count: 4096))])
        let incoming = IncomingMessageService(
            store: f.store, payloads: f.payloads, registrar: f.registrar, settings: f.settings, time: f.time,
            wakeUp: WakeUpSignal(), logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }),
            containerCheck: AsicContainerCheck(temporaryDirectory: f.root.appendingPathComponent("tmp/check"),
                                               limits: limits))
        return Setup(fixture: f, incoming: incoming, folder: folder, good: good)
    }

    /// Rewrites the container with Python's zipfile: `replace` swaps an entry's bytes, `add` adds entries.
    func rewrite(_ container: Data, in folder: URL, replace: [String: String] = [:], add: [String: String] = [:]) throws -> Data {
        let source = folder.appendingPathComponent("in-\(UUID().uuidString).zip")
        let target = folder.appendingPathComponent("out-\(UUID().uuidString).zip")
        try container.write(to: source)
        let script = """
            import json, sys, zipfile
            src, dst, replace, add = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), json.loads(sys.argv[4])
            with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
                for item in zin.infolist():
                    zout.writestr(item, replace.get(item.filename, "").encode() if item.filename in replace else zin.read(item))
                for name, text in add.items():
                    zout.writestr(zipfile.ZipInfo(name), text.encode() if not text.startswith("zeros:") else bytes(int(text[6:])),
                                  compress_type=zipfile.ZIP_DEFLATED)
            """
        func json(_ value: [String: String]) throws -> String { String(decoding: try JSONEncoder().encode(value), as: UTF8.self) }
        try ExternalTool.run("python3", ["-c", script, source.path, target.path, try json(replace), try json(add)])
        return try Data(contentsOf: target)
    }

    func incomingSBD(_ f: EngineFixture) throws -> StandardBusinessDocument {
        var sbd = try f.arkivmelding()
        sbd.standardBusinessDocumentHeader.sender = [Partner(PartnerIdentifier.organization(EngineFixture.receiverOrg))]
        sbd.standardBusinessDocumentHeader.receiver = [Partner(PartnerIdentifier.organization(EngineFixture.ownOrg))]
        return sbd
    }

    /// Receives `container`; expects it refused with a reason containing `expected`, and checks what the operator
    /// and the sender see: FEIL with the reason, nothing offered, nothing kept, a FEIL receipt queued.
    func expectRefused(_ setup: Setup, _ container: Data, reason expected: String) async throws {
        let f = setup.fixture
        let sbd = try incomingSBD(f)
        let messageId = try #require(sbd.messageId)
        let outcome = try await setup.incoming.receive(sbd, via: .DPO, container: Chunks(Array(container), size: 1000))
        guard case .refused(let reason) = outcome else {
            Issue.record("expected the container to be refused (\(expected)), got \(outcome)")
            return
        }
        #expect(reason.contains(expected), "reason: \(reason)")
        #expect(try await f.statuses(messageId, .INCOMING) == [.OPPRETTET, .FEIL])
        let conversation = try await f.store.read { tx in try tx.conversation(messageId: messageId, direction: .INCOMING) }
        #expect(conversation?.messageStatuses.last?.description?.contains(expected) == true)
        await #expect(throws: NextMoveError.self) { _ = try await setup.incoming.peek(MessageQuery()) }
        #expect(!f.payloads.exists(messageId: messageId, key: IncomingMessageService.containerKey))
        let jobs = try await f.store.read { tx in try tx.jobs(messageId: messageId) }
        #expect(jobs.map(\.kind) == [.sendStatus])
        #expect(jobs.first?.payload?.contains("\"FEIL\"") == true)
        let tmp = try FileManager.default.contentsOfDirectory(atPath: f.root.appendingPathComponent("tmp/check").path)
        #expect(tmp.isEmpty, "no decrypted copy is left behind")
        #expect(try await setup.incoming.receive(sbd, via: .DPO, container: Chunks(Array(container))) == .duplicate,
                "the same message again is recognised and not refused twice")
    }

    @Test("A good signed container is offered as received")
    func goodContainer() async throws {
        let setup = try setUp()
        let sbd = try incomingSBD(setup.fixture)
        #expect(try await setup.incoming.receive(sbd, via: .DPO, container: Chunks(Array(setup.good), size: 1000)) == .stored)
        #expect(try await setup.fixture.statuses(try #require(sbd.messageId), .INCOMING) == [.OPPRETTET, .INNKOMMENDE_MOTTATT])
    }

    @Test("A document changed after signing is refused: its digest does not match")
    func alteredDocument() async throws {
        let setup = try setUp()
        let altered = try rewrite(setup.good, in: setup.folder, replace: ["vedlegg.pdf": "%PDF-1.4 forged"])
        try await expectRefused(setup, altered, reason: "does not match the digest")
    }

    @Test("An entry with a path-traversal name is refused")
    func traversal() async throws {
        let setup = try setUp()
        let evil = try rewrite(setup.good, in: setup.folder, add: ["../../etc/cron.d/evil": "* * * * * root true"])
        try await expectRefused(setup, evil, reason: "unsafe path '../../etc/cron.d/evil'")
    }

    @Test("A document the signature does not cover is refused")
    func unsignedDocument() async throws {
        let setup = try setUp()
        let extra = try rewrite(setup.good, in: setup.folder, add: ["ekstra.txt": "not signed"])
        try await expectRefused(setup, extra, reason: "signature does not cover (ekstra.txt)")
    }

    @Test("A zip bomb is refused without unpacking it")
    func zipBomb() async throws {
        let setup = try setUp(limits: AsicReader.Limits(maximumEntrySize: 1 << 20))
        let bomb = try rewrite(setup.good, in: setup.folder, add: ["bomb.bin": "zeros:\(8 << 20)"])
        #expect(bomb.count < 64 * 1024, "8 MB of zeros pack small")
        try await expectRefused(setup, bomb, reason: "zip bomb")
    }

    @Test("Bytes that are not a container at all are refused")
    func notAZip() async throws {
        let setup = try setUp()
        try await expectRefused(setup, Data("this is not a zip file".utf8), reason: "not a readable ZIP")
    }

    @Test("A container sealed for another certificate is refused with the remedy")
    func sealedForSomeoneElse() async throws {
        let base = try setUp()
        let f = base.fixture
        let (ourKey, ourCertificate) = try OpenSSL.makeKeyAndCertificate(in: f.root)
        let ours = try Keystore.loadPEM(privateKey: Data(contentsOf: ourKey), certificateChain: Data(contentsOf: ourCertificate))
        let vault = PayloadVault(store: f.payloads.store, cipher: PlainPayloadCipher(),
                                 containerCipher: CMSPayloadCipher(identity: ours))
        let incoming = IncomingMessageService(
            store: f.store, payloads: vault, registrar: f.registrar, settings: f.settings, time: f.time,
            wakeUp: WakeUpSignal(), logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }),
            containerCheck: AsicContainerCheck(temporaryDirectory: f.root.appendingPathComponent("tmp/check")))
        let plain = base.folder.appendingPathComponent("plain.asic")
        let sealed = base.folder.appendingPathComponent("sealed.cms")
        try base.good.write(to: plain)
        // Sealed with openssl to the signing certificate in `base.folder`, not to ours.
        try OpenSSL.run(["cms", "-encrypt", "-binary", "-aes-256-cbc", "-outform", "DER", "-in", plain.path,
                         "-out", sealed.path, base.folder.appendingPathComponent("cert.pem").path])
        try await expectRefused(Setup(fixture: f, incoming: incoming, folder: base.folder, good: base.good),
                                try Data(contentsOf: sealed), reason: "not encrypted to our certificate")
    }
}
