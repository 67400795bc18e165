import Engine
import IPConfiguration
import Logging
import ServiceLifecycle

/// The channels this integration point has switched on, and their pollers.
enum Channels {
    static func make(_ configuration: IntegrasjonspunktConfiguration, logger: Logger) throws -> ChannelDirectory {
        ChannelDirectory([])
    }

    static func pollers(_ configuration: IntegrasjonspunktConfiguration, incoming: IncomingMessageService,
                        logger: Logger) throws -> [any Service] {
        []
    }
}

/// The service registry lookup.
enum Registry {
    static func make(_ configuration: IntegrasjonspunktConfiguration, logger: Logger) throws -> any ServiceRecordLookup {
        StaticServiceRecords([])
    }
}
