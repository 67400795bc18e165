import Channels
import Engine
import Model

/// The engine's service-record lookup, answered by the service registry.
struct RegistryLookup: ServiceRecordLookup {
    let registry: ServiceRegistryClient

    func serviceIdentifier(for receiver: PartnerIdentifier, process: String, documentType: String,
                           securityLevel: Int?, conversationId: String?) async throws -> ServiceIdentifier {
        do {
            return try await registry.serviceIdentifier(for: receiver.primaryIdentifier, process: process,
                                                        documentType: documentType, securityLevel: securityLevel,
                                                        conversationId: conversationId)
        } catch let error as ServiceRegistryError {
            if error.isTransient { throw error }
            throw NextMoveError.receiverDoesNotAcceptProcess(process, description: error.description)
        }
    }
}
