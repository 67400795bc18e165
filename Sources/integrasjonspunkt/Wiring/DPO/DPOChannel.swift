import Channels
import Engine
import Foundation
import Model
import Packaging

/// The engine's DPO channel: packs the message into the signed, encrypted ASiC-E and hands it to the Altinn broker.
struct DPOChannel: MessageChannel {
    let serviceIdentifier: ServiceIdentifier = .DPO
    let transport: DPOTransport
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
            throw ChannelError.classifying(error)
        }
    }

    private func send(_ delivery: OutgoingDelivery, sbd: StandardBusinessDocument, receiver: String) async throws {
        let json = Data(delivery.sbd.utf8)
        guard !delivery.files.isEmpty else {
            _ = try await transport.send(sbdJSON: json, receiver: receiver, container: nil, receiverCertificateDER: nil)
            return
        }
        let record = try await registry.serviceRecord(
            for: receiver, process: sbd.processIdentifier ?? "", documentType: sbd.documentType ?? "",
            securityLevel: sbd.sikkerhetsnivaa, conversationId: sbd.conversationId)
        guard let certificate = record.certificateDER else {
            throw ChannelError.permanent("The service registry has no certificate for \(receiver); the message cannot be encrypted to it.")
        }
        let total = delivery.files.reduce(Int64(0)) { $0 + max($1.size, 0) }
        let documents: [AsicDocument]
        var folder: URL?
        defer { if let folder { try? FileManager.default.removeItem(at: folder) } }
        if total <= DPOTransport.inMemoryLimit {
            // Small: the files are read into memory (bounded by the limit), sparing a spool folder and its files.
            var read: [AsicDocument] = []
            for file in delivery.files {
                let data = try await file.readAll(limit: Int(DPOTransport.inMemoryLimit))
                read.append(AsicDocument(filename: file.filename, mimeType: file.mimeType, data: data))
            }
            documents = read
        } else {
            let spool = spoolDirectory.appendingPathComponent(UUID().uuidString)
            try FileManager.default.createDirectory(at: spool, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            folder = spool
            var spooled: [AsicDocument] = []
            for (index, file) in delivery.files.enumerated() {
                let url = spool.appendingPathComponent("\(index)")
                try await FileSpool.write(try file.open(), to: url)
                spooled.append(AsicDocument(filename: file.filename, mimeType: file.mimeType, source: .file(url)))
            }
            documents = spooled
        }
        let primary = delivery.files.first { $0.primaryDocument } ?? delivery.files[0]
        let manifest = EformidlingManifest(receiver: sbd.receiver?.fullIdentifier ?? "0192:\(receiver)",
                                           sender: sbd.sender?.fullIdentifier ?? "",
                                           primaryDocumentFilename: primary.filename,
                                           primaryDocumentMimeType: primary.mimeType)
        let container = DPOMessagePacker.asicContainer(documents: documents, manifest: manifest, signer: identity,
                                                       signingTime: time.now)
        _ = try await transport.send(sbdJSON: json, receiver: receiver, container: container,
                                     receiverCertificateDER: certificate, containerSize: total)
    }
}
