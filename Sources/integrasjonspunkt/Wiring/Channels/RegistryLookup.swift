import Channels
import Engine
import Model

/// The engine's service-record and capability lookups, answered by the service registry.
struct RegistryLookup: ServiceRecordLookup, CapabilityLookup {
    let registry: ServiceRegistryClient

    func serviceIdentifier(for receiver: PartnerIdentifier, process: String, documentType: String,
                           securityLevel: Int?, conversationId: String?) async throws -> ServiceIdentifier {
        do {
            return try await registry.serviceIdentifier(for: receiver.primaryIdentifier, process: process,
                                                        documentType: documentType, securityLevel: securityLevel,
                                                        conversationId: conversationId)
        } catch let error as ServiceRegistryError {
            if error.isTransient { throw NextMoveError.serviceRegistryUnavailable(error.description) }
            throw NextMoveError.receiverDoesNotAcceptProcess(process, description: error.description)
        }
    }

    func capabilities(of receiver: String, process: String?, securityLevel: Int?) async throws -> Capabilities {
        let entry: ServiceRegistryEntry
        do {
            entry = try await registry.lookup(identifier: receiver, process: process, securityLevel: securityLevel)
        } catch let error as ServiceRegistryError {
            if case .identifierNotFound = error { throw NextMoveError.identifierNotFound(error.description) }
            if error.isTransient { throw NextMoveError.serviceRegistryUnavailable(error.description) }
            throw error
        }
        return Capabilities(capabilities: entry.serviceRecords.map { record in
            var capability = Capability(process: record.process, serviceIdentifier: record.service.identifier,
                                        documentTypes: record.documentTypes.map(Capability.DocumentType.init(standard:)))
            // A citizen's DPI record: where print goes, and the digital mailbox (`CapabilityFactory`).
            if record.service.identifier == .DPI {
                capability.postAddress = record.postAddress
                capability.returnAddress = record.returnAddress
                capability.digitalPostAddress = DigitalPostAddress(supplier: record.orgnrPostkasse, address: record.postkasseAdresse)
            }
            return capability
        })
    }
}
