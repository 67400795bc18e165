import Engine
import Foundation
import Packaging
import Storage
import X509

/// Free space on the disk of the working folder; DOWN below the threshold (10 MB by default, as Spring's).
public struct DiskSpaceHealth: HealthContributor {
    public let name = "diskSpace"
    public let path: String
    public let threshold: Int64

    public init(path: String, threshold: Int64 = 10 * 1024 * 1024) {
        self.path = path
        self.threshold = threshold
    }

    public func check() async -> HealthService.Report.Component {
        guard let attributes = try? FileManager.default.attributesOfFileSystem(forPath: path),
              let free = (attributes[.systemFreeSize] as? NSNumber)?.int64Value else {
            return .init(status: "DOWN", details: ["path": path, "error": "Cannot read the free space of \(path)."])
        }
        let total = (attributes[.systemSize] as? NSNumber)?.int64Value ?? 0
        var details = ["path": path, "free": "\(free)", "total": "\(total)", "threshold": "\(threshold)"]
        if free < threshold {
            details["error"] = "Less than \(threshold / 1024 / 1024) MB free; free disk space in \(path), or move the working folder."
            return .init(status: "DOWN", details: details)
        }
        return .init(status: "UP", details: details)
    }
}

/// The outbox: jobs waiting and the age of the oldest. Always UP (a slow channel is not a broken integration
/// point), but the details show a queue that does not move.
public struct OutboxHealth: HealthContributor {
    public let name = "outbox"
    let store: any MessageStore
    let now: @Sendable () -> Date

    public init(store: any MessageStore, now: @escaping @Sendable () -> Date) {
        self.store = store
        self.now = now
    }

    public func check() async -> HealthService.Report.Component {
        guard let read = try? await store.read({ tx in (try tx.countJobs(), try tx.oldestJobCreatedAt()) }) else {
            return .init(status: "UNKNOWN", details: ["error": "Cannot read the outbox."])
        }
        let (jobs, oldest) = read
        var details = ["jobs": "\(jobs)"]
        if let oldest { details["oldestJobAgeSeconds"] = "\(Int(max(0, now().timeIntervalSince(oldest))))" }
        return .init(status: "UP", details: details)
    }
}

/// The virksomhetssertifikat: days left; DOWN when expired or not yet valid.
public struct CertificateHealth: HealthContributor {
    public let name = "certificate"
    let subject: String
    let notBefore: Date
    let notAfter: Date
    let now: @Sendable () -> Date

    public init(identity: PrivateKeyAndCertificate, now: @escaping @Sendable () -> Date) {
        self.init(subject: "\(identity.certificate.subject)", notBefore: identity.certificate.notValidBefore,
                  notAfter: identity.certificate.notValidAfter, now: now)
    }

    public init(subject: String, notBefore: Date, notAfter: Date, now: @escaping @Sendable () -> Date) {
        self.subject = subject
        self.notBefore = notBefore
        self.notAfter = notAfter
        self.now = now
    }

    public func check() async -> HealthService.Report.Component {
        let current = now()
        let days = Int(floor(notAfter.timeIntervalSince(current) / 86400))
        var details = ["subject": subject, "notAfter": ISO8601DateFormatter().string(from: notAfter), "daysLeft": "\(days)"]
        if current >= notAfter {
            details["error"] = "The certificate has expired; install a new virksomhetssertifikat (difi.move.org.keystore.*)."
            return .init(status: "DOWN", details: details)
        }
        if current < notBefore {
            details["error"] = "The certificate is not valid yet; check the clock."
            return .init(status: "DOWN", details: details)
        }
        if days <= 30 { details["warning"] = "Expires in \(days) days; order a new virksomhetssertifikat now." }
        return .init(status: "UP", details: details)
    }
}
