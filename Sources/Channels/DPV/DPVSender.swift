import Foundation
import Logging
import Model

/// DPV's sending side: makes the correspondence for an `arkivmelding` or `digital_dpv` message and uploads it
/// (`internals.md` §2.2). The engine's adapter turns the ``Outcome`` into its receipt and a
/// ``CorrespondenceError`` into retry (``CorrespondenceError/isTransient``) or FEIL.
public struct DPVSender: Sendable {
    /// A file of the message, read as a stream.
    public struct File: Sendable {
        public var filename: String
        public var title: String?
        public var mimeType: String
        public var size: Int64
        /// 1-based upload order.
        public var dokumentnummer: Int
        public var open: @Sendable () throws -> AsyncThrowingStream<[UInt8], any Error>

        public init(filename: String, title: String?, mimeType: String, size: Int64, dokumentnummer: Int,
                    open: @escaping @Sendable () throws -> AsyncThrowingStream<[UInt8], any Error>) {
            self.filename = filename
            self.title = title
            self.mimeType = mimeType
            self.size = size
            self.dokumentnummer = dokumentnummer
            self.open = open
        }
    }

    public enum Outcome: Sendable, Equatable {
        /// Altinn created the correspondence with this id.
        case created(String)
        /// Altinn knew the messageId already (409): an earlier attempt got through; this is its correspondence.
        case createdEarlier(String)
        /// Altinn knew the messageId (409) but the correspondence cannot be found again: sent, not followed.
        case createdEarlierUnknown(reason: String)
    }

    public let client: AltinnCorrespondenceClient
    public let registry: ServiceRegistryClient
    public let builder: CorrespondenceRequestBuilder
    /// Own organisation number: whose name is the sender's unless the SBD names a part.
    public let organisationNumber: String
    let logger: Logger

    public init(client: AltinnCorrespondenceClient, registry: ServiceRegistryClient, builder: CorrespondenceRequestBuilder,
                organisationNumber: String, logger: Logger = Logger(label: "dpv")) {
        self.client = client
        self.registry = registry
        self.builder = builder
        self.organisationNumber = organisationNumber
        self.logger = logger
    }

    public func send(_ sbd: StandardBusinessDocument, files: [File], now: Date) async throws -> Outcome {
        let (request, uploads) = try await prepare(sbd, files: files, now: now)
        switch await uploadResult(request, files: uploads) {
        case .success(let id):
            return .created(id)
        case .failure(let error) where error.isConflict:
            return await findEarlier(request.correspondence.sendersReference, conflict: error)
        case .failure(let error):
            throw error
        }
    }

    private func uploadResult(_ request: CorrespondenceRequest, files: [File]) async -> Result<String, CorrespondenceError> {
        do {
            return .success(try await client.upload(request, files: files.map {
                AltinnCorrespondenceClient.Upload(filename: $0.filename, contentType: $0.mimeType, size: $0.size, open: $0.open)
            }))
        } catch {
            return .failure(error)
        }
    }

    /// The correspondence for `sbd` (its service record's resource, the sender's registry name, the files and texts
    /// from arkivmelding.xml or the digital_dpv message) and the files to upload with it.
    private func prepare(_ sbd: StandardBusinessDocument, files: [File],
                         now: Date) async throws -> (CorrespondenceRequest, [File]) {
        guard let receiver = sbd.receiverIdentifier else { throw CorrespondenceError.invalidMessage("The message has no receiver.") }
        let record = try await registry.serviceRecord(
            for: receiver, process: sbd.processIdentifier ?? "", documentType: sbd.documentType ?? "",
            securityLevel: sbd.sikkerhetsnivaa, conversationId: sbd.conversationId)
        let senderName = try await registry.info(identifier: sbd.sender?.partIdentifier ?? organisationNumber)
            .organizationName ?? ""
        let (attached, arkivmelding) = try await attachments(of: sbd, files: files)
        let request = try builder.request(for: sbd, attachments: attached.map { .init(filename: $0.filename, title: $0.title) },
                                          arkivmelding: arkivmelding, senderName: senderName,
                                          resource: record.service.resource, now: now)
        return (request, attached)
    }

    /// arkivmelding: only the files arkivmelding.xml refers to (not itself), in upload order; digital_dpv: every
    /// file, in upload order.
    func attachments(of sbd: StandardBusinessDocument, files: [File]) async throws -> (files: [File], arkivmelding: ArkivmeldingSummary?) {
        let byUpload = files.sorted { $0.dokumentnummer < $1.dokumentnummer }
        guard sbd.messageType == .arkivmelding else { return (byUpload, nil) }
        guard let file = files.first(where: { $0.filename == NextMoveRules.arkivmeldingFilename }) else {
            throw CorrespondenceError.invalidMessage("arkivmelding.xml not found for message \(sbd.messageId ?? "")")
        }
        var data = Data()
        for try await chunk in try file.open() {
            data.append(contentsOf: chunk)
            if data.count > 16 << 20 { throw CorrespondenceError.invalidMessage("arkivmelding.xml is larger than 16 MB") }
        }
        let summary: ArkivmeldingSummary
        do {
            summary = try ArkivmeldingSummary.parse(data)
        } catch {
            throw CorrespondenceError.invalidMessage("arkivmelding.xml cannot be read: \(error)")
        }
        let referenced = Set(summary.referanseDokumentfiler)
        return (byUpload.filter { referenced.contains($0.filename) && $0.filename != NextMoveRules.arkivmeldingFilename }, summary)
    }

    /// After a 409: the correspondence is looked up by sendersReference (the messageId).
    private func findEarlier(_ sendersReference: String, conflict: CorrespondenceError) async -> Outcome {
        logger.warning("Altinn already has a correspondence for this message (\(conflict)); looking it up by sendersReference.",
                       metadata: ["messageId": "\(sendersReference)"])
        do {
            if let id = try await client.correspondences(sendersReference: sendersReference).first {
                return .createdEarlier(id)
            }
            return .createdEarlierUnknown(reason: "No correspondence found by sendersReference after a 409.")
        } catch {
            return .createdEarlierUnknown(reason: "Looking up the correspondence by sendersReference failed: \(error)")
        }
    }
}
