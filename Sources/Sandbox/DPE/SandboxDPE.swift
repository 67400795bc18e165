import Foundation
import Hummingbird
import Synchronization

/// DPE in the sandbox network: the Azure Service Bus twin on a port of its own, the registry's `/sastoken` beside
/// the registry, and eInnsyn as an organisation of its own (``SandboxEInnsyn``) with DPE service records — the
/// agencies (the organisations with integration points) get DPE records for innsynskrav and eInnsyn's receipts.
public final class SandboxDPE: SandboxService {
    public struct Options: Sendable {
        /// eInnsyn's organisation number in the sandbox.
        public var einnsynOrganisationNumber: String
        /// How long a peek-lock holds a message.
        public var lockDuration: TimeInterval
        /// `difi.move.nextmove.serviceBus.pollingrate` written to the properties, in milliseconds.
        public var pollingRateMilliseconds: Int

        public init(einnsynOrganisationNumber: String = "910076795", lockDuration: TimeInterval = 60,
                    pollingRateMilliseconds: Int = 1000) {
            self.einnsynOrganisationNumber = einnsynOrganisationNumber
            self.lockDuration = lockDuration
            self.pollingRateMilliseconds = pollingRateMilliseconds
        }
    }

    public let name = "Azure Service Bus (DPE)"
    public let bus: SandboxServiceBus
    public let sasToken: SandboxSASTokenEndpoint
    public let einnsyn: SandboxEInnsyn
    private let options: Options
    private let address = LockedValue<String>("")

    /// The network's factory for DPE with `options`.
    public static func factory(_ options: Options = Options()) -> SandboxServiceFactory {
        { context in try SandboxDPE(context: context, options: options) }
    }

    public init(context: SandboxServiceContext, options: Options = Options()) throws {
        self.options = options
        bus = SandboxServiceBus(configuration: .init(lockDuration: options.lockDuration), now: context.now)
        sasToken = SandboxSASTokenEndpoint(bus: bus, signer: context.registry.signer)
        let identity = try context.issueIdentity(organisationNumber: options.einnsynOrganisationNumber, name: "Sandbox eInnsyn")
        einnsyn = SandboxEInnsyn(identity: identity, bus: bus, agencies: context.organisations, now: context.now)
        for organisation in context.organisations.map(\.organisationNumber) + [identity.organisationNumber] {
            for mode in ["innsyn", "data", "meeting"] { bus.createQueue("nextbestqueue\(organisation)\(mode)") }
        }
        let einnsyn = self.einnsyn
        bus.attachReceiver(to: einnsyn.queues) { queue, body in einnsyn.arrived(queue: queue, body: body) }
    }

    public func addRoutes(to router: Router<BasicRequestContext>) {
        bus.addRoutes(to: router)
    }

    public func addRegistryRoutes(to router: Router<BasicRequestContext>) {
        sasToken.addRoutes(to: router)
    }

    public func started(baseURL: String, network: SandboxServiceContext) throws {
        address.set(baseURL)
        network.registry.register(SandboxRegistryEntry(
            identifier: einnsyn.organisationNumber, name: "Sandbox eInnsyn", certificatePEM: einnsyn.identity.certificatePEM,
            records: SandboxEInnsynRecords.einnsyn(certificatePEM: einnsyn.identity.certificatePEM)))
        for agency in network.organisations {
            network.registry.addRecords(SandboxEInnsynRecords.agency(certificatePEM: agency.certificatePEM),
                                        to: agency.organisationNumber)
        }
    }

    public func properties(for organisation: SandboxNetwork.Organisation, in network: SandboxNetwork) -> [(String, String)] {
        let host = address.get().replacingOccurrences(of: "http://", with: "")
        return [
            ("difi.move.feature.enableDPE", "true"),
            ("difi.move.nextmove.serviceBus.baseUrl", host),
            ("difi.move.nextmove.serviceBus.useHttps", "false"),
            ("difi.move.nextmove.serviceBus.sasKeyName", bus.keyName),
            ("difi.move.nextmove.serviceBus.mode", "innsyn"),
            ("difi.move.nextmove.serviceBus.pollingrate", "\(options.pollingRateMilliseconds)"),
        ]
    }

    public var summary: [String] {
        [
            "Azure Service Bus (DPE) \(address.get())   (key name \(bus.keyName); the key from the registry's /sastoken)",
            "  \(einnsyn.organisationNumber) Sandbox eInnsyn   (reads nextbestqueue\(einnsyn.organisationNumber)data; answers MOTTATT, LEVERT, einnsyn_kvittering)",
        ]
    }
}

/// A value behind a lock, for what is known only once a server listens.
final class LockedValue<Value: Sendable>: Sendable {
    private let value: Mutex<Value>
    init(_ value: Value) { self.value = Mutex(value) }
    func get() -> Value { value.withLock { $0 } }
    func set(_ newValue: Value) { value.withLock { $0 = newValue } }
}
