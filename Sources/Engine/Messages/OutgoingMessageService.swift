import Foundation
import Logging
import Model
import Storage

/// `/api/messages/out`: create, upload, send, read and delete outgoing messages (`nextmove-api.md` §2.2).
///
/// Accepting a send writes the outbox job in the same transaction that marks the message as sent, so once the
/// API has answered, a crash cannot lose the message (DECISIONS 6).
public struct OutgoingMessageService: Sendable {
    let store: any MessageStore
    let payloads: PayloadVault
    let registry: any ServiceRecordLookup
    let registrar: StatusRegistrar
    let settings: EngineSettings
    let time: any TimeSource
    let wakeUp: WakeUpSignal
    let logger: Logger
    /// Checks the integration point's own certificate; throws `NextMoveError.invalidCertificate` when unusable.
    let certificateCheck: @Sendable () throws -> Void
    /// The enabled channels, for their own rules at create (``MessageChannel/checkCreate(_:)``).
    let channels: ChannelDirectory

    public init(store: any MessageStore, payloads: PayloadVault, registry: any ServiceRecordLookup,
                registrar: StatusRegistrar, settings: EngineSettings, time: any TimeSource, wakeUp: WakeUpSignal,
                logger: Logger, certificateCheck: @escaping @Sendable () throws -> Void = {},
                channels: ChannelDirectory = ChannelDirectory([])) {
        self.channels = channels
        self.store = store
        self.payloads = payloads
        self.registry = registry
        self.registrar = registrar
        self.settings = settings
        self.time = time
        self.wakeUp = wakeUp
        self.logger = logger
        self.certificateCheck = certificateCheck
    }

    // MARK: Create

    /// Validates the SBD, resolves the channel, fills in the defaults and stores the message with status OPPRETTET.
    /// Repeating an earlier create exactly answers the stored SBD again (DECISIONS 11).
    public func create(_ request: StandardBusinessDocument) async throws -> StandardBusinessDocument {
        let prepared = try await prepare(request)
        let record = prepared.record
        let conversation = prepared.conversation
        let now = time.now
        let outcome = try await store.write { [registrar] tx -> CreateOutcome in
            if let existing = try tx.outgoing(messageId: record.messageId) {
                guard existing.state == .created, prepared.repeats(existing) else {
                    throw NextMoveError.messageAlreadyExists(messageId: record.messageId)
                }
                return .repeated(existing.sbd)
            }
            if !prepared.isStatus, !(try tx.conversations(messageId: record.messageId).isEmpty) {
                throw NextMoveError.messageAlreadyExists(messageId: record.messageId)
            }
            try tx.insertOutgoing(record)
            var stored = conversation
            stored.id = try tx.insertConversation(conversation)
            try registrar.register(.OPPRETTET, onLocked: &stored, at: now, in: tx)
            return .created
        }
        switch outcome {
        case .created:
            logger.info("Message created", metadata: prepared.metadata)
            return prepared.sbd
        case .repeated(let json):
            logger.info("Repeated create answered with the stored message", metadata: prepared.metadata)
            return try StoredSBD.decode(json)
        }
    }

    enum CreateOutcome: Sendable {
        case created
        case repeated(String)
    }

    /// Everything a create checks and computes before anything is written.
    struct PreparedMessage: Sendable {
        /// The document as the client sent it.
        var request: StandardBusinessDocument
        var ownOrgNumber: String
        /// The document with the defaults filled in.
        var sbd: StandardBusinessDocument
        var record: OutgoingMessageRecord
        var conversation: Conversation
        var isStatus: Bool
        var metadata: Logger.Metadata

        /// Whether this request repeats the one that stored `existing` (DECISIONS 11).
        func repeats(_ existing: OutgoingMessageRecord) -> Bool {
            guard let stored = try? StoredSBD.decode(existing.sbd) else { return false }
            return request.isResend(of: stored, ownOrgNumber: ownOrgNumber)
        }
    }

    func prepare(_ request: StandardBusinessDocument) async throws -> PreparedMessage {
        let now = time.now
        let violations = SBDValidator.validate(request, now: now)
        if !violations.isEmpty {
            throw NextMoveError.invalidBody(violations, objectName: "standardBusinessDocument")
        }
        var sbd = request
        SBDDefaults.normalizeOnBehalfOf(&sbd, ownOrgNumber: settings.orgNumber)
        let type = sbd.messageType
        let service = try await resolveService(for: sbd, type: type)
        guard sbd.scope(.conversationId) != nil else { throw NextMoveError.missingConversationScope }
        try SBDDefaults.apply(to: &sbd, ownOrgNumber: settings.orgNumber, now: now,
                              defaultTtlHours: Int(settings.ttlHours(for: service)),
                              uuid: { UUID().uuidString.lowercased() })
        if settings.enabledServices.contains(service) {
            try await channels.channel(for: service)?.applyDefaults(to: &sbd)
        }
        try await validateCreateRules(sbd, type: type, service: service)
        return try makePrepared(request, sbd, type: type, service: service, now: now)
    }

    private func resolveService(for sbd: StandardBusinessDocument, type: MessageType) async throws -> ServiceIdentifier {
        guard let receiver = sbd.receiver else {
            if let value = sbd.receiverValue { throw NextMoveError.invalidIdentifier(value) }
            return type == .print ? .DPI : .UNKNOWN
        }
        guard let process = sbd.processIdentifier else {
            throw NextMoveError.receiverDoesNotAcceptProcess("null", description: "The SBD has no process: set the identifier of the ConversationId scope.")
        }
        return try await registry.serviceIdentifier(
            for: receiver, process: process, documentType: sbd.documentType ?? "",
            securityLevel: sbd.sikkerhetsnivaa, conversationId: sbd.conversationId)
    }

    /// §4.2: the business rules checked at create, in the upstream order.
    private func validateCreateRules(_ sbd: StandardBusinessDocument, type: MessageType,
                                     service: ServiceIdentifier) async throws {
        try certificateCheck()
        guard settings.enabledServices.contains(service) else { throw NextMoveError.serviceNotEnabled(service) }
        if case .print(let print) = sbd.businessMessage { try NextMoveRules.checkPrintAddresses(print) }
        try NextMoveRules.checkDocumentTypeFits(sbd)
        try await channels.channel(for: service)?.checkCreate(sbd)
    }

    private func makePrepared(_ request: StandardBusinessDocument, _ sbd: StandardBusinessDocument, type: MessageType,
                              service: ServiceIdentifier, now: Date) throws -> PreparedMessage {
        guard let messageId = sbd.messageId, let conversationId = sbd.conversationId else {
            throw NextMoveError.missingConversationScope
        }
        let json = try StoredSBD.encode(sbd)
        let record = OutgoingMessageRecord(
            messageId: messageId, conversationId: conversationId, processIdentifier: sbd.processIdentifier,
            receiverIdentifier: sbd.receiverIdentifier, senderIdentifier: sbd.senderIdentifier,
            serviceIdentifier: service, sbd: json, createdAt: now, lastUpdated: now)
        let conversation = Conversation(sbd: sbd, direction: .OUTGOING, serviceIdentifier: service, now: now)
        let metadata: Logger.Metadata = ["messageId": "\(messageId)", "conversationId": "\(conversationId)",
                                         "serviceIdentifier": "\(service.rawValue)"]
        return PreparedMessage(request: request, ownOrgNumber: settings.orgNumber, sbd: sbd, record: record, conversation: conversation, isStatus: type == .status,
                               metadata: metadata)
    }

    // MARK: Read and delete

    public func message(messageId: String) async throws -> StandardBusinessDocument {
        guard let record = try await store.read({ tx in try tx.outgoing(messageId: messageId) }) else {
            throw NextMoveError.messageNotFound(messageId: messageId)
        }
        return try StoredSBD.decode(record.sbd)
    }

    public func find(_ query: MessageQuery, page: PageRequest) async throws -> Page<StandardBusinessDocument> {
        let records = try await store.read { tx in try tx.findOutgoing(query, page: page) }
        return try records.map { try StoredSBD.decode($0.sbd) }
    }

    /// Deletes the message and its files; the conversation and its statuses stay. No error when it did not exist.
    public func delete(messageId: String) async throws {
        try await store.write { tx in
            try tx.deleteOutgoing(messageId: messageId)
            for job in try tx.jobs(messageId: messageId) where job.kind == .sendMessage {
                try tx.deleteJob(id: job.id)
            }
        }
        try payloads.delete(messageId: messageId)
        logger.info("Outgoing message deleted", metadata: ["audit": "delete", "messageId": "\(messageId)"])
    }
}
