import Foundation
import Model

/// Finds the channel for a message in the service registry (`nextmove-api.md` §3.7).
public protocol ServiceRecordLookup: Sendable {
    /// The service identifier of the first record for `receiver` and `process` whose document types contain
    /// `documentType`. Throws `NextMoveError.receiverDoesNotAcceptProcess` when there is none.
    func serviceIdentifier(for receiver: PartnerIdentifier, process: String, documentType: String,
                           securityLevel: Int?, conversationId: String?) async throws -> ServiceIdentifier
}

/// A fixed table of receivers, for tests and for running without a registry.
public struct StaticServiceRecords: ServiceRecordLookup {
    public struct Record: Sendable {
        public var receiver: String
        public var process: String
        public var documentTypes: [String]
        public var serviceIdentifier: ServiceIdentifier

        public init(receiver: String, process: String, documentTypes: [String], serviceIdentifier: ServiceIdentifier) {
            self.receiver = receiver
            self.process = process
            self.documentTypes = documentTypes
            self.serviceIdentifier = serviceIdentifier
        }
    }

    let records: [Record]

    public init(_ records: [Record]) {
        self.records = records
    }

    public func serviceIdentifier(for receiver: PartnerIdentifier, process: String, documentType: String,
                                  securityLevel: Int?, conversationId: String?) async throws -> ServiceIdentifier {
        let match = records.first { record in
            record.receiver == receiver.primaryIdentifier && record.process == process
                && record.documentTypes.contains(documentType)
        }
        guard let match else {
            throw NextMoveError.receiverDoesNotAcceptProcess(
                process,
                description: "No service record for identifier \(receiver.primaryIdentifier), process \(process) and document type \(documentType)")
        }
        return match.serviceIdentifier
    }
}
