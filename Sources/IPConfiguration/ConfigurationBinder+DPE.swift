import Foundation

/// The DPE section: `difi.move.nextmove.serviceBus.*`.
extension ConfigurationBinder {
    /// The upstream's `application.properties` writes this where the key belongs; it is no key.
    static let sasTokenPlaceholder = "<token>"

    mutating func bindServiceBus(enabled: Bool, oidc: IntegrasjonspunktConfiguration.OIDC) -> IntegrasjonspunktConfiguration.ServiceBus {
        let prefix = "difi.move.nextmove.serviceBus"
        var bus = IntegrasjonspunktConfiguration.ServiceBus()
        if let name = string("\(prefix).sasKeyName") {
            bus.sasKeyName = name
        } else if enabled {
            problem("\(prefix).sasKeyName", nil, "is missing while difi.move.feature.enableDPE=true",
                    "Set difi.move.nextmove.serviceBus.sasKeyName to the key name Digdir gave you (MoveDPE-pilotPolicy in test, MoveDPE-prodPolicy in production).")
        }
        bus.sasToken = secret("\(prefix).sasToken").flatMap { $0.trimmingWhitespace() == Self.sasTokenPlaceholder ? nil : $0 }
        if enabled && !oidc.enabled && bus.sasToken == nil {
            let fix = "Set difi.move.nextmove.serviceBus.sasToken to the Service Bus shared access key from Digdir, or set difi.move.oidc.enable=true so the key is fetched from the service registry (/sastoken)."
            if userSet("difi.move.feature.enableDPE") {
                problem("\(prefix).sasToken", raw.string("\(prefix).sasToken"),
                        "is missing while difi.move.feature.enableDPE=true and difi.move.oidc.enable=false", fix)
            } else {
                // On only because the production profile switches DPE on (as upstream): a start-up error would stop
                // installations that never use eInnsyn, so this is a note and DPE reports the missing key in health.
                warnings.append("difi.move.feature.enableDPE=true (production profile default) but difi.move.oidc.enable=false and \(prefix).sasToken is not set, so DPE has no Service Bus key. \(fix) Or set difi.move.feature.enableDPE=false if you do not use eInnsyn.")
            }
        }
        if let text = string("\(prefix).mode") {
            if let mode = IntegrasjonspunktConfiguration.ServiceBus.Mode(rawValue: text.lowercased()) {
                bus.mode = mode
            } else {
                problem("\(prefix).mode", text, "is not a Service Bus mode",
                        "Use innsyn (an agency receiving innsynskrav, the default), data or meeting.")
            }
        }
        bindServiceBusAddress(into: &bus, prefix: prefix, enabled: enabled)
        bus.pollingRate = duration("\(prefix).pollingrate", default: .seconds(20))
        if enabled && bus.pollingRate <= .zero {
            problem("\(prefix).pollingrate", raw.string("\(prefix).pollingrate"), "must be more than zero",
                    "Give the time between reads of the queue in milliseconds, e.g. 20000.")
            bus.pollingRate = .seconds(20)
        }
        bus.readMaxMessages = int("\(prefix).readMaxMessages", default: 50, range: 1...10_000,
                                  fix: "Use a whole number between 1 and 10000 (messages read per batch; 50 by default).")
        bus.batchRead = bool("\(prefix).batchRead", default: false)
        if enabled && bus.batchRead {
            warnings.append("\(prefix).batchRead=true: accepted; messages are read over the Service Bus REST API either way (no AMQP, no port 5671).")
        }
        bus.connectTimeout = duration("\(prefix).connectTimeout", default: .seconds(15))
        if enabled && bus.connectTimeout <= .zero {
            problem("\(prefix).connectTimeout", raw.string("\(prefix).connectTimeout"), "must be more than zero",
                    "Give the timeout of Service Bus calls in milliseconds, e.g. 15000.")
            bus.connectTimeout = .seconds(15)
        }
        bus.receiptQueue = string("\(prefix).receiptQueue")
        return bus
    }

    /// `baseUrl` is a host (with an optional port), joined with the scheme `useHttps` chooses, as upstream.
    private mutating func bindServiceBusAddress(into bus: inout IntegrasjonspunktConfiguration.ServiceBus, prefix: String, enabled: Bool) {
        bus.useHTTPS = bool("\(prefix).useHttps", default: true)
        guard let host = string("\(prefix).baseUrl") else {
            if enabled {
                problem("\(prefix).baseUrl", nil, "is missing while difi.move.feature.enableDPE=true",
                        "Set difi.move.nextmove.serviceBus.baseUrl to the Service Bus namespace, efm-dpe-qa.servicebus.windows.net in test or efm-dpe-prod.servicebus.windows.net in production.")
            }
            return
        }
        if host.contains("://") || host.contains("/") || host.contains(where: \.isWhitespace) {
            problem("\(prefix).baseUrl", host, "is not a host name (the scheme comes from difi.move.nextmove.serviceBus.useHttps)",
                    "Write only the namespace host, e.g. efm-dpe-qa.servicebus.windows.net, and set useHttps=false only for a local test bus.")
            return
        }
        bus.baseURL = host
    }
}
