import Engine
import Foundation
import HTTPAPI
import IPConfiguration
import Logging
import Operations
import Packaging
import Prometheus
import ServiceLifecycle
import Storage

/// The operational parts of a node: the metrics backend, the clock check, the health components and `/manage/info`.
struct OperationsWiring {
    let registry: PrometheusCollectorRegistry
    let services: [any Service]

    /// Bootstraps metrics and checks the clock; refuses to start (StartupError) when the clock is more than 5 s off.
    static func prepare(_ configuration: IntegrasjonspunktConfiguration, logger: Logger) async throws -> OperationsWiring {
        let registry = OperationsMetrics.bootstrap()
        var services: [any Service] = []
        if configuration.ntp.disabled {
            logger.info("Clock check switched off (difi.move.ntp.disable=true).")
        } else {
            let check = ClockCheck(client: ClockSettings.client(configuration.ntp.host))
            do {
                try await check.startupCheck(logger: logger)
            } catch let error as ClockError {
                throw StartupError(error.description)
            }
            services.append(ClockWatch(check: check, logger: logger))
        }
        return OperationsWiring(registry: registry, services: services)
    }

    func health(store: any MessageStore, identity: PrivateKeyAndCertificate, time: any TimeSource,
                retention: TimeInterval?, channels: [any HealthContributor] = []) -> HealthService {
        HealthService(store: store, retention: retention, contributors: [
            DiskSpaceHealth(path: FileManager.default.currentDirectoryPath),
            OutboxHealth(store: store, now: { time.now }),
            CertificateHealth(identity: identity, now: { time.now }),
        ] + channels)
    }

    func info(_ configuration: IntegrasjonspunktConfiguration) -> [String: String] {
        var info = ["name": BuildInfo.name, "version": BuildInfo.version, "commit": BuildInfo.commit,
                    "orgnr": configuration.org.number,
                    "channels": configuration.features.enabledChannels.joined(separator: ",")]
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "")
        if let built = try? FileManager.default.attributesOfItem(atPath: executable.path)[.modificationDate] as? Date {
            info["build"] = ISO8601DateFormatter().string(from: built)
        }
        return info
    }

    func adminPages(_ configuration: IntegrasjonspunktConfiguration, identity: PrivateKeyAndCertificate,
                    time: any TimeSource) -> AdminPages {
        let certificate = identity.certificate
        let days = Int(certificate.notValidAfter.timeIntervalSince(time.now) / 86400)
        return AdminPages(overview: [
            ("Organisation", configuration.org.number),
            ("Version", BuildInfo.versionLine),
            ("Enabled channels", configuration.features.enabledChannels.joined(separator: ", ")),
            ("Certificate", "\(certificate.subject), expires \(ISO8601DateFormatter().string(from: certificate.notValidAfter)) (\(days) days)"),
            ("Service registry", configuration.serviceRegistryEndpoint),
        ], maskedConfiguration: configuration.maskedDump(), startedAt: time.now)
    }

    func prometheus(store: any MessageStore, time: any TimeSource) -> @Sendable () async -> String {
        let registry = self.registry
        return { await OperationsMetrics.scrape(registry: registry, store: store, now: time.now) }
    }
}
