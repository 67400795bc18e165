import Foundation
import Logging
import Model
import NoarkExchange

/// The BEST/EDU (`/noarkExchange`) use cases: `GetCanReceiveMessage` and `PutMessage` (`nextmove-api.md` §7).
///
/// A `Melding` becomes an arkivmelding that goes through ``OutgoingMessageService/createAndSend(_:nextPart:)``
/// like any NextMove message — same validation, statuses, time to live and retries — and an `AppReceipt` becomes
/// an `arkivmelding_kvittering`. Every outcome is an ``AppReceipt``: OK when the message was accepted, ERROR with
/// the upstream's code and a text saying what to fix otherwise. Nothing is stored unless everything was accepted.
public struct NoarkExchangeService: Sendable {
    /// The processes and document types BEST/EDU messages get (`difi.move.arkivmelding.*`).
    public struct Settings: Sendable {
        public var defaultProcess: String
        public var dpvDefaultProcess: String
        public var documentType: String
        public var receiptProcess: String
        public var receiptDocumentType: String
        /// `difi.move.feature.returnOkOnEmptyPayload`.
        public var returnOkOnEmptyPayload: Bool

        public init(defaultProcess: String = "urn:no:difi:profile:arkivmelding:administrasjon:ver1.0",
                    dpvDefaultProcess: String = "urn:no:difi:profile:arkivmelding:administrasjon:ver1.0",
                    documentType: String = "urn:no:difi:arkivmelding:xsd::arkivmelding",
                    receiptProcess: String = "urn:no:difi:profile:arkivmelding:response:ver1.0",
                    receiptDocumentType: String = "urn:no:difi:arkivmelding:xsd::arkivmelding_kvittering",
                    returnOkOnEmptyPayload: Bool = false) {
            self.defaultProcess = defaultProcess
            self.dpvDefaultProcess = dpvDefaultProcess
            self.documentType = documentType
            self.receiptProcess = receiptProcess
            self.receiptDocumentType = receiptDocumentType
            self.returnOkOnEmptyPayload = returnOkOnEmptyPayload
        }
    }

    /// The channels over which an arkivmelding can reach a receiver.
    static let arkivmeldingChannels: Set<ServiceIdentifier> = [.DPO, .DPF, .DPV]

    let outgoing: OutgoingMessageService
    let registry: any ServiceRecordLookup
    let settings: Settings
    let engine: EngineSettings
    let time: any TimeSource
    let logger: Logger

    public init(outgoing: OutgoingMessageService, registry: any ServiceRecordLookup, settings: Settings,
                engine: EngineSettings, time: any TimeSource, logger: Logger) {
        self.outgoing = outgoing
        self.registry = registry
        self.settings = settings
        self.engine = engine
        self.time = time
        self.logger = logger
    }

    // MARK: GetCanReceiveMessage

    /// True when the registry gives `receiver` a channel for arkivmelding that this integration point has enabled;
    /// false for an empty number, a person number, or when the lookup fails (as the upstream).
    public func canReceive(_ receiver: NoarkAddress) async -> Bool {
        let orgnr = receiver.orgnr.trimmingCharacters(in: .whitespaces)
        guard !orgnr.isEmpty, orgnr.count != 11, let identifier = try? PartnerIdentifier.parse(orgnr) else {
            return false
        }
        do {
            let service = try await registry.serviceIdentifier(
                for: identifier, process: settings.defaultProcess, documentType: settings.documentType,
                securityLevel: nil, conversationId: nil)
            return Self.arkivmeldingChannels.contains(service) && engine.enabledServices.contains(service)
        } catch {
            logger.info("GetCanReceiveMessage: \(orgnr) cannot receive: \(error)")
            return false
        }
    }

    // MARK: PutMessage

    public func putMessage(envelope: NoarkEnvelope, payload: PutMessagePayload) async -> AppReceipt {
        switch payload {
        case .empty:
            if settings.returnOkOnEmptyPayload { return .ok }
            return .error(code: AppReceipt.Code.missingPayload, AppReceipt.missingPayloadText)
        case .unreadable(let why):
            return .error(code: AppReceipt.Code.unknown, why)
        case .melding(let melding):
            return await send(melding, envelope: envelope)
        case .appReceipt(let receipt):
            return await forward(receipt, envelope: envelope)
        }
    }

    private func send(_ melding: Melding, envelope: NoarkEnvelope) async -> AppReceipt {
        guard let receiver = try? PartnerIdentifier.parse(envelope.receiver.orgnr.trimmingCharacters(in: .whitespaces)),
              receiver.kind == .organization else {
            return .error(code: AppReceipt.Code.unknown,
                          "envelope/receiver/orgnr \"\(envelope.receiver.orgnr)\" is not an organisation number: give the receiver's 9 digits.")
        }
        let service: ServiceIdentifier
        do {
            service = try await registry.serviceIdentifier(
                for: receiver, process: settings.defaultProcess, documentType: settings.documentType,
                securityLevel: nil, conversationId: nil)
        } catch {
            logger.warning("PutMessage: no service record for \(receiver.primaryIdentifier): \(error)")
            return .error(code: AppReceipt.Code.missingServiceRecord, AppReceipt.missingServiceRecordText)
        }
        let messageId = Self.messageId(from: envelope.conversationId)
        let process = service == .DPV ? settings.dpvDefaultProcess : settings.defaultProcess
        let sender = envelope.sender.orgnr.trimmingCharacters(in: .whitespaces)
        let converted = ArkivmeldingFromMelding(melding: melding, messageId: messageId,
                                                creator: sender.isEmpty ? engine.orgNumber : sender, now: time.now)
        let message: [String: Any] = ["hoveddokument": NextMoveRules.arkivmeldingFilename]
        do {
            let sbd = try sbd(envelope: envelope, receiver: receiver, messageId: messageId, process: process,
                              documentType: settings.documentType, type: "arkivmelding", message: message)
            var parts = [Self.part(NextMoveRules.arkivmeldingFilename, title: nil, type: "application/xml",
                                   data: Data(converted.arkivmeldingXML.utf8))]
            parts += converted.documents.map { Self.part($0.filename, title: $0.title, type: $0.mimeType, data: $0.data) }
            var remaining = parts[...]
            _ = try await outgoing.createAndSend(sbd) { remaining.popFirst() }
            logger.info("BEST/EDU PutMessage accepted as arkivmelding (\(converted.documents.count) documents)",
                        metadata: ["messageId": "\(messageId)", "conversationId": "\(envelope.conversationId)"])
            return .ok
        } catch {
            return Self.refusal(error, what: "The Melding")
        }
    }

    private func forward(_ receipt: AppReceipt, envelope: NoarkEnvelope) async -> AppReceipt {
        guard let receiver = try? PartnerIdentifier.parse(envelope.receiver.orgnr.trimmingCharacters(in: .whitespaces)) else {
            return .error(code: AppReceipt.Code.unknown,
                          "envelope/receiver/orgnr \"\(envelope.receiver.orgnr)\" is not an organisation number: give the receiver's 9 digits.")
        }
        let service: ServiceIdentifier
        do {
            service = try await registry.serviceIdentifier(
                for: receiver, process: settings.receiptProcess, documentType: settings.receiptDocumentType,
                securityLevel: nil, conversationId: nil)
        } catch {
            return .error(code: AppReceipt.Code.missingServiceRecord, AppReceipt.missingServiceRecordText)
        }
        // As the upstream: only DPO carries receipts back; for other channels the receipt is dropped.
        guard service == .DPO else {
            logger.info("AppReceipt for \(envelope.conversationId) to \(receiver.primaryIdentifier) over \(service.rawValue) discarded: only DPO carries receipts")
            return .ok
        }
        let related = envelope.conversationId
        let message: [String: Any] = [
            "receiptType": receipt.type.rawValue,
            "relatedToMessageId": related,
            "messages": receipt.messages.map { ["code": $0.code, "text": $0.text] },
        ]
        do {
            let sbd = try sbd(envelope: envelope, receiver: receiver, messageId: UUID().uuidString.lowercased(),
                              conversationId: Self.messageId(from: related), process: settings.receiptProcess,
                              documentType: settings.receiptDocumentType, type: "arkivmelding_kvittering",
                              message: message)
            let none: [MultipartFilePart<AsyncStream<[UInt8]>>] = []
            var parts = none[...]
            _ = try await outgoing.createAndSend(sbd) { parts.popFirst() }
            return .ok
        } catch {
            return Self.refusal(error, what: "The AppReceipt")
        }
    }

    /// The envelope's conversationId when it is a UUID (lower-cased), else a new UUID (as the upstream).
    static func messageId(from conversationId: String) -> String {
        UUID(uuidString: conversationId.trimmingCharacters(in: .whitespaces)) != nil
            ? conversationId.trimmingCharacters(in: .whitespaces).lowercased()
            : UUID().uuidString.lowercased()
    }

    static func refusal(_ error: any Error, what: String) -> AppReceipt {
        if let error = error as? NextMoveError {
            return .error(code: AppReceipt.Code.unknown, "\(what) was not accepted: \(error.message)")
        }
        return .error(code: AppReceipt.Code.unknown, "\(what) was not accepted: \(error)")
    }

    private func sbd(envelope: NoarkEnvelope, receiver: PartnerIdentifier, messageId: String,
                     conversationId: String? = nil, process: String, documentType: String, type: String,
                     message: [String: Any]) throws -> StandardBusinessDocument {
        let sender = envelope.sender.orgnr.trimmingCharacters(in: .whitespaces)
        var scopes: [[String: Any]] = [[
            "type": "ConversationId", "identifier": process, "instanceIdentifier": conversationId ?? messageId,
        ]]
        if let ref = envelope.sender.ref { scopes.append(["type": "SenderRef", "identifier": ref, "instanceIdentifier": ref]) }
        if let ref = envelope.receiver.ref { scopes.append(["type": "ReceiverRef", "identifier": ref, "instanceIdentifier": ref]) }
        let header: [String: Any] = [
            "headerVersion": "1.0",
            "sender": [["identifier": ["authority": PartnerIdentifier.iso6523Authority,
                                       "value": "0192:\(sender.isEmpty ? engine.orgNumber : sender)"]]],
            "receiver": [["identifier": ["authority": PartnerIdentifier.iso6523Authority,
                                         "value": "0192:\(receiver.primaryIdentifier)"]]],
            "documentIdentification": ["standard": documentType, "typeVersion": "2.0",
                                       "instanceIdentifier": messageId, "type": type],
            "businessScope": ["scope": scopes],
        ]
        // Sorted keys put the business message first, which the reader accepts (the header must follow it).
        let json = try JSONSerialization.data(withJSONObject: ["standardBusinessDocumentHeader": header, type: message],
                                              options: [.sortedKeys])
        return try StandardBusinessDocument.decode(from: json)
    }

    private static func part(_ name: String, title: String?, type: String,
                             data: Data) -> MultipartFilePart<AsyncStream<[UInt8]>> {
        let bytes = [UInt8](data)
        let stream = AsyncStream<[UInt8]> { continuation in
            continuation.yield(bytes)
            continuation.finish()
        }
        return MultipartFilePart(file: UploadedFile(filename: name, title: title, contentType: type,
                                                    declaredSize: Int64(bytes.count)),
                                 content: stream)
    }
}
