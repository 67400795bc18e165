import Channels
import Foundation
import IPConfiguration
import NIOCore

extension ChannelChecks {
    /// DPE: fetches the Service Bus key as the integration point does (the registry's `/sastoken`, or `sasToken`)
    /// and peek-locks our queue with it. A message that comes out is unlocked at once, so it stays for the running
    /// integration point (its delivery count goes up by one).
    func dpe() async -> Doctor.Finding {
        let bus = configuration.serviceBus
        let keys: any SASKeyProvider
        if configuration.oidc.enabled {
            keys = RegistrySASKey(registry: registryClient(), now: now)
        } else if let token = bus.sasToken {
            keys = ConfiguredSASKey(token)
        } else {
            return Doctor.Finding("channel DPE", .fail, "There is no Service Bus key: difi.move.oidc.enable=false and difi.move.nextmove.serviceBus.sasToken is not set.",
                                  remedy: "Set difi.move.nextmove.serviceBus.sasToken to the key from Digdir, enable difi.move.oidc to fetch it from the service registry, or set difi.move.feature.enableDPE=false.")
        }
        let milliseconds = bus.connectTimeout.components.seconds * 1000 + bus.connectTimeout.components.attoseconds / 1_000_000_000_000_000
        let client = ServiceBusClient(
            configuration: ServiceBusConfiguration(host: bus.baseURL, useHTTPS: bus.useHTTPS, keyName: bus.sasKeyName,
                                                   requestTimeout: .milliseconds(milliseconds)),
            httpClient: httpClient, keys: keys, now: now)
        let queue = DPEQueueNaming(ownOrganisationNumber: org, mode: ServiceBusQueueMode(configured: bus.mode.rawValue) ?? .innsyn).ownQueue
        let keySource = configuration.oidc.enabled ? "the key from the service registry's /sastoken" : "difi.move.nextmove.serviceBus.sasToken"
        do {
            let waiting: String
            if let message = try await client.peekLock(queue) {
                try? await client.unlock(message)
                waiting = "a message is waiting"
            } else {
                waiting = "the queue is empty"
            }
            return Doctor.Finding("channel DPE", .pass,
                                  "Service Bus \(client.configuration.baseURL) accepts \(keySource) (key name \(bus.sasKeyName)) on queue \(queue); \(waiting).")
        } catch let error as ServiceBusError where error.isUnauthorized {
            return Doctor.Finding("channel DPE", .fail, "Service Bus \(client.configuration.baseURL) refused \(keySource) (key name \(bus.sasKeyName)): \(error.detail)",
                                  remedy: configuration.oidc.enabled
                                      ? "Check difi.move.nextmove.serviceBus.sasKeyName (MoveDPE-pilotPolicy in test, MoveDPE-prodPolicy in production) and that Digdir has activated DPE for \(org); the key itself comes from the service registry."
                                      : "Check difi.move.nextmove.serviceBus.sasKeyName and .sasToken against the key Digdir gave you, or enable difi.move.oidc to fetch the key from the service registry.")
        } catch {
            return Doctor.Finding("channel DPE", .fail, "Service Bus \(client.configuration.baseURL), queue \(queue): \(error)",
                                  remedy: Self.remedy(for: error, service: "the Service Bus",
                                                      keys: "difi.move.nextmove.serviceBus.baseUrl, .useHttps, .mode and .sasKeyName (outgoing HTTPS to *.servicebus.windows.net)"))
        }
    }
}
