import Foundation
import Model
import Packaging
import Synchronization

/// eInnsyn's side of DPE in the sandbox: the organisation that sends innsynskrav to agencies and receives their
/// journal posts and receipts, answering as eInnsyn's integration point and eInnsyn-klient would.
///
/// It reads its queues (`nextbestqueue<orgnr>data` and `…innsyn`) the moment a message arrives. For each it
/// decrypts the container with its own key and opens the ASiC-E (checking what the agencies send), keeps what it
/// got for inspection, and answers a business message with MOTTATT and LEVERT status messages — and a publisering
/// also with an `einnsyn_kvittering` (referanseType `publisering`).
public final class SandboxEInnsyn: Sendable {
    /// A message eInnsyn received.
    public struct Received: Sendable {
        public var queue: String
        public var sbd: StandardBusinessDocument
        /// The SBD JSON as it came.
        public var sbdJSON: Data
        /// The files of the ASiC-E (name → bytes); empty without a container.
        public var files: [String: Data]
        /// The CMS envelope as it came (`asic` decoded), when the message had files.
        public var cms: Data?
        /// Why the message could not be read, if so (it is then not answered).
        public var problem: String?
    }

    public let identity: SandboxIdentity
    public var organisationNumber: String { identity.organisationNumber }
    let bus: SandboxServiceBus
    /// The agencies' certificates, by organisation number (the registry's records would give the same).
    private let agencies: [String: SandboxIdentity]
    private let now: @Sendable () -> Date
    private let received = Mutex<[Received]>([])

    init(identity: SandboxIdentity, bus: SandboxServiceBus, agencies: [SandboxIdentity], now: @escaping @Sendable () -> Date) {
        self.identity = identity
        self.bus = bus
        self.agencies = Dictionary(uniqueKeysWithValues: agencies.map { ($0.organisationNumber, $0) })
        self.now = now
    }

    /// What eInnsyn received, oldest first.
    public var messages: [Received] { received.withLock { $0 } }

    /// The queues eInnsyn reads.
    var queues: [String] { ["data", "innsyn"].map { "nextbestqueue\(organisationNumber)\($0)" } }

    // MARK: Sending

    /// Puts an innsynskrav on the agency's `innsyn` queue: `order.xml` in an ASiC-E signed by eInnsyn and encrypted to
    /// the agency with PKCS#1 v1.5, as eInnsyn does. `expectedResponse` in the past makes an expired message.
    @discardableResult
    public func sendInnsynskrav(to agency: String, order: Data = SandboxEInnsyn.demoOrder, email: String = "ola.nordmann@example.no",
                                expectedResponse: Date? = nil) throws -> String {
        guard let receiver = agencies[agency] else { throw SandboxEInnsynError("\(agency) is not an agency of the sandbox") }
        let messageId = UUID().uuidString.lowercased()
        let sbd = header(to: agency, messageId: messageId, conversationId: UUID().uuidString.lowercased(),
                         process: SandboxEInnsynRecords.innsynskravProcess, documentType: SandboxEInnsynRecords.innsynskravType,
                         type: .innsynskrav, expectedResponse: expectedResponse ?? now().addingTimeInterval(24 * 3600),
                         message: .innsynskrav(InnsynskravMessage(orgnr: agency, epost: email)))
        let asic = try AsicWriter(identity: try identity.keystoreEntry(), signingTime: now())
            .container(documents: [AsicDocument(filename: "order.xml", mimeType: "application/xml", data: order)])
        let cms = try CMS.encrypt(asic, to: receiver.certificateDER, keyTransport: .rsaPKCS1v15)
        bus.enqueue(try SandboxDPEPayload.encode(sbdJSON: sbd.compactJSON(), cms: cms), in: "nextbestqueue\(agency)innsyn")
        return messageId
    }

    /// The order an innsynskrav carries in the demo and tests.
    public static let demoOrder = Data("""
        <?xml version="1.0" encoding="UTF-8"?>
        <bestilling><id>sandbox-1</id><bestillingsdato>2026-01-01</bestillingsdato>
          <dokumenter><dokument><saksnr>2026/1</saksnr><journalnr>1</journalnr><dokumentnr>1</dokumentnr></dokument></dokumenter>
        </bestilling>
        """.utf8)

    // MARK: Receiving

    func arrived(queue: String, body: Data) {
        var entry = Received(queue: queue, sbd: StandardBusinessDocument(standardBusinessDocumentHeader: .init(),
                                                                         businessMessage: .status(StatusMessage())),
                             sbdJSON: Data(), files: [:])
        do {
            let payload = try SandboxDPEPayload.decode(body)
            entry.sbdJSON = payload.sbdJSON
            entry.sbd = try StandardBusinessDocument.decode(from: payload.sbdJSON)
            if let cms = payload.cms {
                entry.cms = cms
                let reader = try AsicReader(data: try CMS.decrypt(cms, with: try identity.keystoreEntry()))
                _ = try reader.verify()
                for document in reader.documents { entry.files[document.name] = try reader.data(document.name) }
            }
        } catch {
            entry.problem = "\(error)"
        }
        received.withLock { $0.append(entry) }
        guard entry.problem == nil else { return }
        answer(entry.sbd)
    }

    /// MOTTATT and LEVERT for a business message, and for a publisering its einnsyn_kvittering.
    private func answer(_ sbd: StandardBusinessDocument) {
        guard sbd.messageType != .status, let sender = sbd.senderIdentifier else { return }
        // eInnsyn reads `data`, so its statuses go to the agencies' `innsyn` queue (DPEQueueNaming's rule).
        let queue = "nextbestqueue\(sender)innsyn"
        for status in [ReceiptStatus.MOTTATT, .LEVERT] {
            let receipt = StandardBusinessDocument.statusReceipt(for: sbd, status: status,
                                                                 receiptProcess: SandboxEInnsynRecords.responseProcess, now: now())
            if let body = try? SandboxDPEPayload.encode(sbdJSON: receipt.compactJSON(), cms: nil) { bus.enqueue(body, in: queue) }
        }
        guard sbd.messageType == .publisering else { return }
        let kvittering = header(to: sender, messageId: UUID().uuidString.lowercased(),
                                conversationId: sbd.conversationId ?? UUID().uuidString.lowercased(),
                                process: SandboxEInnsynRecords.responseProcess, documentType: SandboxEInnsynRecords.kvitteringType,
                                type: .einnsynKvittering, expectedResponse: now().addingTimeInterval(24 * 3600),
                                message: .einnsynKvittering(EinnsynKvitteringMessage(
                                    dokumentId: sbd.messageId, status: #"{"status":"OK","melding":"Publisert i eInnsyn"}"#,
                                    referanseType: "publisering")))
        if let body = try? SandboxDPEPayload.encode(sbdJSON: kvittering.compactJSON(), cms: nil) { bus.enqueue(body, in: queue) }
    }

    private func header(to receiver: String, messageId: String, conversationId: String, process: String, documentType: String,
                        type: MessageType, expectedResponse: Date, message: BusinessMessage) -> StandardBusinessDocument {
        let header = StandardBusinessDocumentHeader(
            headerVersion: "1.0",
            sender: [Partner(identifier: PartnerIdentification(value: "0192:\(organisationNumber)"))],
            receiver: [Partner(identifier: PartnerIdentification(value: "0192:\(receiver)"))],
            documentIdentification: DocumentIdentification(
                standard: documentType, typeVersion: "2.0", instanceIdentifier: messageId, type: type.rawValue,
                creationDateAndTime: OffsetDateTime(oslo: now())),
            businessScope: BusinessScope(scope: [
                Scope(.conversationId, instanceIdentifier: conversationId, identifier: process,
                      scopeInformation: [CorrelationInformation(expectedResponseDateTime: OffsetDateTime(oslo: expectedResponse))]),
            ]))
        return StandardBusinessDocument(standardBusinessDocumentHeader: header, businessMessage: message)
    }
}

struct SandboxEInnsynError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension AsicWriter {
    /// The container in memory (small containers: the sandbox's own orders).
    func container(documents: [AsicDocument]) throws -> Data {
        var data = Data()
        try write(manifest: nil, documents: documents) { data.append($0) }
        return data
    }
}
