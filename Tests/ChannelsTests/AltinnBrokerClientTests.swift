import AsyncHTTPClient
import Channels
import Crypto
import Foundation
import Sandbox
import Testing

@Suite("Altinn broker client against the sandbox broker")
struct AltinnBrokerClientTests {
    static func broker(_ network: SandboxNetwork, _ organisationNumber: String) throws -> AltinnBrokerClient {
        let organisation = try #require(network.organisation(organisationNumber))
        let maskinporten = MaskinportenClient(
            configuration: .init(tokenURL: network.maskinportenTokenURL, audience: network.maskinportenAudience,
                                 organisationNumber: organisationNumber, keystore: try organisation.identity.keystoreEntry()),
            httpClient: .shared)
        let tokens = AltinnTokenExchange(exchangeURL: network.altinnTokenExchangeURL, maskinporten: maskinporten,
                                         systemUser: .defaultSystemUser(organisationNumber: organisationNumber), httpClient: .shared)
        return AltinnBrokerClient(configuration: .init(brokerServiceURL: network.brokerServiceURL, organisationNumber: organisationNumber),
                                  httpClient: .shared, tokens: tokens)
    }

    static func writeRandomFile(_ url: URL, size: Int) throws -> Data {
        var generator = SystemRandomNumberGenerator()
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        var hasher = SHA256()
        var left = size
        while left > 0 {
            let count = min(left, 1 << 20)
            var words = [UInt64](repeating: 0, count: (count + 7) / 8)
            for index in words.indices { words[index] = generator.next() }
            let chunk = words.withUnsafeBytes { Data($0.prefix(count)) }
            hasher.update(data: chunk)
            try handle.write(contentsOf: chunk)
            left -= count
        }
        return Data(hasher.finalize())
    }

    static func sha256(of url: URL) throws -> Data {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
        return Data(hasher.finalize())
    }

    @Test("initialize, upload 5 MB streamed, list, details, download, confirm")
    func roundTrip() async throws {
        try await withSandbox { network, scratch in
            let outgoing = try Self.broker(network, sender)
            let incoming = try Self.broker(network, receiver)
            let payload = scratch.file("sbd.zip")
            let digest = try Self.writeRandomFile(payload, size: 5 * 1024 * 1024)
            let reference = UUID().uuidString

            let id = try await outgoing.initializeFileTransfer(recipient: receiver, sendersFileTransferReference: reference)
            try await outgoing.upload(fileTransferID: id, contentsOf: payload)

            #expect(try await incoming.publishedFileTransfers() == [id])
            #expect(try await outgoing.publishedFileTransfers(recipientStatus: "Initialized").isEmpty) // the sender is no recipient
            let overview = try await incoming.fileTransfer(id)
            #expect(overview.fileTransferStatus == "Published")
            #expect(overview.sendersFileTransferReference == reference)
            #expect(overview.sender == "0192:\(sender)")
            #expect(overview.fileName == "sbd.zip")
            #expect(overview.fileTransferSize.map { Int($0) } == 5 * 1024 * 1024)
            #expect(overview.recipients?.first?.recipient == "0192:\(receiver)")
            #expect(overview.createdDate != nil)

            let downloaded = scratch.file("downloaded.zip")
            let size = try await incoming.download(id, to: downloaded)
            #expect(size == 5 * 1024 * 1024)
            #expect(try Self.sha256(of: downloaded) == digest)
            // Into memory while it fits the limit, else moved to the file given.
            guard case .memory(let bytes) = try await incoming.download(id, inMemoryUpTo: 8 << 20, spillingTo: scratch.file("m")) else {
                Issue.record("5 MB with an 8 MB limit should stay in memory")
                return
            }
            #expect(Data(SHA256.hash(data: bytes)) == digest)
            #expect(!FileManager.default.fileExists(atPath: scratch.file("m").path))
            guard case .file(let spilled) = try await incoming.download(id, inMemoryUpTo: 1 << 20, spillingTo: scratch.file("s")) else {
                Issue.record("5 MB with a 1 MB limit should go to the file")
                return
            }
            #expect(try Self.sha256(of: spilled) == digest)
            #expect(try await incoming.publishedFileTransfers(recipientStatus: "Initialized").isEmpty)
            #expect(try await incoming.publishedFileTransfers(recipientStatus: "DownloadStarted") == [id])
            try await incoming.confirmDownload(id)
            #expect(try await incoming.publishedFileTransfers().isEmpty)
            #expect(try await incoming.fileTransfer(id).fileTransferStatus == "AllConfirmedDownloaded")
            // Once every recipient has confirmed, the broker keeps the file no longer.
            let purged = await #expect(throws: AltinnBrokerError.self) { try await incoming.download(id, to: scratch.file("again")) }
            #expect(purged?.status == 400)
        }
    }

    @Test("initialize carries the property list and the checksum the broker checks the upload against")
    func initializeBody() async throws {
        try await withSandbox { network, _ in
            let outgoing = try Self.broker(network, sender)
            let incoming = try Self.broker(network, receiver)
            let bytes = Data("the transfer".utf8)
            let checksum = Insecure.MD5.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
            let properties = ["b": "2", "a": #"1 / "quoted" \ æøå"#]
            let id = try await outgoing.initializeFileTransfer(recipient: receiver, sendersFileTransferReference: "ref",
                                                               propertyList: properties, checksum: checksum)
            try await outgoing.upload(fileTransferID: id, bytes: bytes)
            let overview = try await incoming.fileTransfer(id)
            #expect(overview.propertyList == properties)
            #expect(overview.checksum == checksum)
            let wrong = try await outgoing.initializeFileTransfer(recipient: receiver, sendersFileTransferReference: "ref",
                                                                  checksum: checksum)
            let refused = await #expect(throws: AltinnBrokerError.self) {
                try await outgoing.upload(fileTransferID: wrong, bytes: Data("another transfer".utf8))
            }
            #expect(refused?.status == 400)
        }
    }

    @Test("an injected 500 on upload is a transient error; a new transfer then goes through once")
    func faultInjection() async throws {
        try await withSandbox { network, scratch in
            let outgoing = try Self.broker(network, sender)
            let incoming = try Self.broker(network, receiver)
            let payload = scratch.file("sbd.zip")
            _ = try Self.writeRandomFile(payload, size: 100_000)
            network.broker.failNextUploads(1, status: 500)
            let failed = try await outgoing.initializeFileTransfer(recipient: receiver, sendersFileTransferReference: UUID().uuidString)
            let error = await #expect(throws: AltinnBrokerError.self) {
                try await outgoing.upload(fileTransferID: failed, contentsOf: payload)
            }
            #expect(error?.status == 500)
            #expect(error?.isTransient == true)
            #expect(error?.detail.contains("Injected fault") == true)
            #expect(try await outgoing.fileTransfer(failed).fileTransferStatus == "Failed")

            // Uploading again to the same transfer is a permanent 409; a new transfer succeeds.
            let conflict = await #expect(throws: AltinnBrokerError.self) {
                try await outgoing.upload(fileTransferID: failed, contentsOf: payload)
            }
            #expect(conflict?.status == 409)
            #expect(conflict?.isTransient == false)
            let retried = try await outgoing.initializeFileTransfer(recipient: receiver, sendersFileTransferReference: UUID().uuidString)
            try await outgoing.upload(fileTransferID: retried, contentsOf: payload)
            #expect(try await incoming.publishedFileTransfers() == [retried])
        }
    }

    @Test("4xx answers are permanent errors carrying the ProblemDetails text")
    func permanentErrors() async throws {
        try await withSandbox { network, scratch in
            let outgoing = try Self.broker(network, sender)
            let incoming = try Self.broker(network, receiver)
            let payload = scratch.file("sbd.zip")
            _ = try Self.writeRandomFile(payload, size: 1000)
            let id = try await outgoing.initializeFileTransfer(recipient: receiver, sendersFileTransferReference: "ref")
            try await outgoing.upload(fileTransferID: id, contentsOf: payload)
            let early = await #expect(throws: AltinnBrokerError.self) { try await incoming.confirmDownload(id) }
            #expect(early?.status == 400)
            #expect(early?.isTransient == false)
            #expect(early?.detail.contains("Cannot confirm before the files have been downloaded") == true)
            let missing = await #expect(throws: AltinnBrokerError.self) { _ = try await incoming.fileTransfer(UUID()) }
            #expect(missing?.status == 404)

            let unauthorised = AltinnBrokerClient(
                configuration: .init(brokerServiceURL: network.brokerServiceURL, organisationNumber: sender),
                httpClient: .shared, tokens: StaticAccessToken("not-a-token"))
            let refused = await #expect(throws: AltinnBrokerError.self) { _ = try await unauthorised.publishedFileTransfers() }
            #expect(refused?.status == 401)
        }
    }

    @Test("a 401 renews the Altinn token once and repeats the call")
    func renewsTokenOn401() async throws {
        try await withSandbox { network, _ in
            let incoming = try Self.broker(network, receiver)
            _ = try await incoming.publishedFileTransfers()
            #expect(network.maskinporten.exchangeCount == 1)
            network.broker.failNext(.list, count: 1, statusCode: 401)
            #expect(try await incoming.publishedFileTransfers().isEmpty)
            #expect(network.maskinporten.exchangeCount == 2)
            network.broker.failNext(.list, count: 2, statusCode: 401)
            let error = await #expect(throws: AltinnBrokerError.self) { _ = try await incoming.publishedFileTransfers() }
            #expect(error?.status == 401)
            #expect(error?.isTransient == false)
        }
    }

    @Test("a broker that cannot be reached is a transient error")
    func unreachable() async throws {
        let client = AltinnBrokerClient(configuration: .init(brokerServiceURL: "http://127.0.0.1:1/broker/api/v1", organisationNumber: sender,
                                                             requestTimeout: .seconds(5)),
                                        httpClient: .shared, tokens: StaticAccessToken("x"))
        let error = await #expect(throws: AltinnBrokerError.self) { _ = try await client.publishedFileTransfers() }
        #expect(error?.status == nil)
        #expect(error?.isTransient == true)
    }
}
