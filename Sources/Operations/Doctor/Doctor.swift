import AsyncHTTPClient
import Channels
import Foundation
import IPConfiguration
import Packaging
import Storage
import X509

/// `integrasjonspunkt doctor`: every check an operator needs before (or while) running the integration point, each
/// with its result and, when it is not right, what to do.
public struct Doctor: Sendable {
    public enum Result: String, Sendable, Equatable {
        case pass = "OK"
        case warn = "WARN"
        case fail = "FAIL"
        case skip = "SKIP"
    }

    public struct Finding: Sendable, Equatable {
        public var check: String
        public var result: Result
        public var detail: String
        public var remedy: String

        public init(_ check: String, _ result: Result, _ detail: String, remedy: String = "") {
            self.check = check
            self.result = result
            self.detail = detail
            self.remedy = remedy
        }
    }

    public struct Report: Sendable {
        public var findings: [Finding]
        public var failed: Bool { findings.contains { $0.result == .fail } }

        public func finding(_ check: String) -> Finding? { findings.first { $0.check == check } }

        /// A plain-text table: check, result, and details with the remedy.
        public func table(width: Int = 110) -> String {
            let checkWidth = max(5, findings.map(\.check.count).max() ?? 5)
            let header = "Check".padding(toLength: checkWidth, withPad: " ", startingAt: 0) + "  Result  What was found / what to do"
            var lines = [header, String(repeating: "-", count: min(width, header.count + 30))]
            let indent = String(repeating: " ", count: checkWidth + 10)
            for finding in findings {
                let text = finding.remedy.isEmpty ? finding.detail : "\(finding.detail) → \(finding.remedy)"
                let wrapped = Self.wrap(text, width: max(30, width - checkWidth - 10))
                lines.append(finding.check.padding(toLength: checkWidth, withPad: " ", startingAt: 0) + "  "
                             + finding.result.rawValue.padding(toLength: 6, withPad: " ", startingAt: 0) + "  "
                             + (wrapped.first ?? ""))
                for rest in wrapped.dropFirst() { lines.append(indent + rest) }
            }
            let failures = findings.filter { $0.result == .fail }.count
            let warnings = findings.filter { $0.result == .warn }.count
            lines.append("")
            lines.append(failures == 0
                ? "All checks passed\(warnings > 0 ? " (\(warnings) warning\(warnings == 1 ? "" : "s"))" : "")."
                : "\(failures) check\(failures == 1 ? "" : "s") failed.")
            return lines.joined(separator: "\n")
        }

        static func wrap(_ text: String, width: Int) -> [String] {
            var lines: [String] = []
            for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
                var line = ""
                for word in paragraph.split(separator: " ") {
                    if !line.isEmpty, line.count + 1 + word.count > width {
                        lines.append(line)
                        line = ""
                    }
                    line += line.isEmpty ? String(word) : " " + word
                }
                lines.append(line)
            }
            return lines
        }
    }

    public var httpClient: HTTPClient
    public var now: @Sendable () -> Date

    public init(httpClient: HTTPClient = .shared, now: @escaping @Sendable () -> Date = { Date() }) {
        self.httpClient = httpClient
        self.now = now
    }

    /// Runs every check. `load` reads the configuration (it reports all its problems at once); when it fails, the
    /// checks that need it are skipped.
    public func run(load: () throws -> LoadedConfiguration) async -> Report {
        var findings: [Finding] = []
        let loaded: LoadedConfiguration
        do {
            loaded = try load()
        } catch let error as ConfigurationError {
            findings.append(Finding("configuration", .fail, error.description,
                                    remedy: "Correct each key named above in integrasjonspunkt-local.properties (or the environment) and run doctor again."))
            return Report(findings: findings)
        } catch {
            findings.append(Finding("configuration", .fail, "\(error)", remedy: "Check the configuration files."))
            return Report(findings: findings)
        }
        let configuration = loaded.configuration
        var note = "Organisation \(configuration.org.number), profile \(loaded.profile.rawValue), channels \(configuration.features.enabledChannels.joined(separator: ", "))"
        if !loaded.sources.isEmpty { note += "; read \(loaded.sources.joined(separator: ", "))" }
        findings.append(Finding("configuration", loaded.warnings.isEmpty ? .pass : .warn,
                                ([note] + loaded.warnings).joined(separator: "\n"),
                                remedy: loaded.warnings.isEmpty ? "" : "Look at the notes above; they do not stop the integration point."))

        let identity = checkKeystore(configuration, into: &findings)
        findings.append(await checkClock(configuration))
        findings.append(await checkDatabase(configuration))
        guard let identity else {
            for name in ["maskinporten", "service registry", "certificate in registry"] {
                findings.append(Finding(name, .skip, "Needs the keystore.", remedy: "Fix the keystore first."))
            }
            return Report(findings: findings)
        }
        let services = ChannelChecks(configuration: configuration, identity: identity, httpClient: httpClient, now: now)
        findings.append(await services.maskinporten())
        findings.append(await services.registry())
        findings.append(await services.virksert())
        findings.append(contentsOf: await services.channels())
        return Report(findings: findings)
    }

    // MARK: Keystore

    func checkKeystore(_ configuration: IntegrasjonspunktConfiguration, into findings: inout [Finding]) -> PrivateKeyAndCertificate? {
        let keystore = configuration.org.keystore
        let identity: PrivateKeyAndCertificate
        do {
            identity = try KeystoreLoading.load(configuration)
        } catch {
            findings.append(Finding("keystore", .fail, "Cannot open \(keystore.path) (alias \(keystore.alias ?? "first entry")): \(error)",
                                    remedy: KeystoreLoading.remedy(for: error)))
            findings.append(Finding("certificate", .skip, "Needs the keystore.", remedy: "Fix the keystore first."))
            return nil
        }
        findings.append(Finding("keystore", .pass,
                                "\(keystore.path): alias \(identity.alias), the private key matches the certificate."))
        let certificate = identity.certificate
        let current = now()
        let days = Int(floor(certificate.notValidAfter.timeIntervalSince(current) / 86400))
        let subject = "\(certificate.subject)"
        let expiry = ISO8601DateFormatter().string(from: certificate.notValidAfter)
        if current > certificate.notValidAfter {
            findings.append(Finding("certificate", .fail, "'\(subject)' expired \(expiry).",
                                    remedy: "Install a new virksomhetssertifikat (difi.move.org.keystore.*) and register it with Digdir."))
        } else if current < certificate.notValidBefore {
            findings.append(Finding("certificate", .fail, "'\(subject)' is valid only from \(ISO8601DateFormatter().string(from: certificate.notValidBefore)).",
                                    remedy: "Check the server's clock, or use the certificate in force."))
        } else if days <= 30 {
            findings.append(Finding("certificate", .warn, "'\(subject)' expires \(expiry), in \(days) days.",
                                    remedy: "Order a new virksomhetssertifikat now and register it with Digdir."))
        } else {
            findings.append(Finding("certificate", .pass, "'\(subject)' expires \(expiry), in \(days) days."))
        }
        return identity
    }

    // MARK: Clock

    func checkClock(_ configuration: IntegrasjonspunktConfiguration) async -> Finding {
        guard !configuration.ntp.disabled else {
            return Finding("clock", .skip, "difi.move.ntp.disable=true.",
                           remedy: "Make sure the server keeps its clock with NTP some other way.")
        }
        let check = ClockCheck(client: ClockSettings.client(configuration.ntp.host))
        switch await check.measure() {
        case .ok(let offset):
            return Finding("clock", .pass, "Offset \(ClockCheck.describe(offset)) against \(configuration.ntp.host).")
        case .offTooFar(let offset):
            return Finding("clock", .fail, "The clock is \(ClockCheck.describe(offset)) off \(configuration.ntp.host) (more than \(Int(ClockCheck.warnAbove)) s); the integration point will not start.",
                           remedy: check.remedy)
        case .failed(let reason):
            return Finding("clock", .warn, "Could not ask \(configuration.ntp.host): \(reason).",
                           remedy: "Check difi.move.ntp.host and that outgoing UDP port 123 is open; or set difi.move.ntp.disable=true.")
        }
    }
}

/// `difi.move.ntp.host` is a host name, optionally `host:port` (a non-standard port, used by tests).
public enum ClockSettings {
    public static func client(_ host: String, timeout: TimeInterval = 5) -> SNTPClient {
        let parts = host.split(separator: ":")
        if parts.count == 2, let port = UInt16(parts[1]) {
            return SNTPClient(host: String(parts[0]), port: port, timeout: timeout)
        }
        return SNTPClient(host: host, timeout: timeout)
    }
}
