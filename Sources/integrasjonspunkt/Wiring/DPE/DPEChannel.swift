import Channels
import Engine
import Foundation
import Model
import Packaging

/// The engine's DPE channel: puts the message on the receiver's Service Bus queue as `{"sbd":…,"asic":…}`, the files
/// in the signed ASiC-E encrypted with PKCS#1 v1.5 key transport.
///
/// The queue follows the upstream's rules (`DPEQueueNaming`): statuses and einnsyn_kvittering by our mode and
/// `receiptQueue`, everything else by the `endpointUrl` of the receiver's DPE service record.
struct DPEChannel: MessageChannel {
    let serviceIdentifier: ServiceIdentifier = .DPE
    let transport: DPETransport
    let registry: ServiceRegistryClient
    let identity: PrivateKeyAndCertificate
    let spoolDirectory: URL
    let time: any TimeSource

    func send(_ delivery: OutgoingDelivery) async throws -> SendReceipt {
        let sbd = try delivery.decodedSBD()
        guard let receiver = sbd.receiverIdentifier else { throw ChannelError.permanent("The SBD has no receiver.") }
        do {
            try await send(delivery, sbd: sbd, receiver: receiver)
            return .sent
        } catch {
            // As upstream, a send the bus refuses is tried again on the normal schedule (JMS redelivery) until the
            // time to live; a message the bus finds too large (413) cannot get smaller.
            throw ChannelError.classifying(error)
        }
    }

    private func send(_ delivery: OutgoingDelivery, sbd: StandardBusinessDocument, receiver: String) async throws {
        var record: ServiceRecord?
        let outgoing: DPEQueueNaming.Outgoing
        if delivery.isStatus || sbd.messageType == .status {
            outgoing = .status
        } else if case .einnsynKvittering(let receipt) = sbd.businessMessage {
            outgoing = .einnsynKvittering(referanseType: receipt.referanseType)
        } else {
            record = try await serviceRecord(sbd, receiver: receiver)
            outgoing = .businessMessage(endpointURL: record?.service.endpointUrl)
        }
        guard !delivery.files.isEmpty else {
            try await transport.send(sbdJSON: Data(delivery.sbd.utf8), receiver: receiver, outgoing: outgoing,
                                     container: nil, receiverCertificateDER: nil)
            return
        }
        if record == nil { record = try await serviceRecord(sbd, receiver: receiver) }
        guard let certificate = record?.certificateDER else {
            throw ChannelError.permanent("The service registry has no certificate for \(receiver); the message cannot be encrypted to it.")
        }
        let spool = try DeliverySpool(delivery.files, in: spoolDirectory)
        defer { spool.remove() }
        let documents = try await spool.documents()
        let primary = delivery.files.first { $0.primaryDocument } ?? delivery.files[0]
        let manifest = EformidlingManifest(receiver: sbd.receiver?.fullIdentifier ?? "0192:\(receiver)",
                                           sender: sbd.sender?.fullIdentifier ?? "",
                                           primaryDocumentFilename: primary.filename,
                                           primaryDocumentMimeType: primary.mimeType)
        let container = DPEMessagePacker.asicContainer(documents: documents, manifest: manifest, signer: identity,
                                                       signingTime: time.now)
        try await transport.send(sbdJSON: Data(delivery.sbd.utf8), receiver: receiver, outgoing: outgoing,
                                 container: container, receiverCertificateDER: certificate)
    }

    private func serviceRecord(_ sbd: StandardBusinessDocument, receiver: String) async throws -> ServiceRecord {
        try await registry.serviceRecord(for: receiver, process: sbd.processIdentifier ?? "", documentType: sbd.documentType ?? "",
                                         securityLevel: sbd.sikkerhetsnivaa, conversationId: sbd.conversationId)
    }
}

/// The decrypted files of a delivery written to a private folder, for the ASiC writer to read as files.
struct DeliverySpool {
    let folder: URL
    let files: [DeliveryFile]

    init(_ files: [DeliveryFile], in directory: URL) throws {
        self.files = files
        folder = directory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
    }

    func documents() async throws -> [AsicDocument] {
        var documents: [AsicDocument] = []
        for (index, file) in files.enumerated() {
            let url = folder.appendingPathComponent("\(index)")
            try await FileSpool.write(try file.open(), to: url)
            documents.append(AsicDocument(filename: file.filename, mimeType: file.mimeType, source: .file(url)))
        }
        return documents
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }
}
