import Foundation
import Model

/// Typed reads of single keys. Each records a problem (key, masked value, fix) instead of failing, so every
/// problem of a configuration is reported at once.
extension ConfigurationBinder {
    mutating func problem(_ key: String, _ value: String?, _ text: String, _ fix: String) {
        problems.append(ConfigurationProblem(key: raw.entry(key)?.key ?? key, value: value, problem: text, fix: fix))
    }

    /// The trimmed value, `nil` when unset or empty.
    func string(_ key: String) -> String? {
        guard let value = raw.string(key)?.trimmingWhitespace(), !value.isEmpty else { return nil }
        return value
    }

    /// A secret exactly as given (spaces are kept: they may be part of a password), `nil` when unset or empty.
    func secret(_ key: String) -> String? {
        guard let value = raw.string(key), !value.isEmpty else { return nil }
        return value
    }

    func firstString(_ keys: String...) -> String? {
        for key in keys { if let value = string(key) { return value } }
        return nil
    }

    /// Whether the user (not a default) set the key.
    func userSet(_ key: String) -> Bool {
        guard let entry = raw.entry(key) else { return false }
        return !entry.isDefault
    }

    mutating func bool(_ key: String, default fallback: Bool) -> Bool {
        do { return try raw.bool(key) ?? fallback } catch { problems += error.problems; return fallback }
    }

    mutating func int(_ key: String, default fallback: Int, range: ClosedRange<Int>,
                              fix: String? = nil) -> Int {
        do {
            guard let value = try raw.int(key) else { return fallback }
            guard range.contains(value) else {
                let bounds = range.upperBound == Int.max ? "at least \(range.lowerBound)" : "between \(range.lowerBound) and \(range.upperBound)"
                problem(key, String(value), "is out of range", fix ?? "Use a whole number \(bounds).")
                return fallback
            }
            return value
        } catch {
            problems += error.problems
            return fallback
        }
    }

    mutating func double(_ key: String, default fallback: Double, minimum: Double) -> Double {
        do {
            guard let value = try raw.double(key) else { return fallback }
            guard value >= minimum else {
                problem(key, String(value), "is too small", "Use a number of at least \(minimum).")
                return fallback
            }
            return value
        } catch {
            problems += error.problems
            return fallback
        }
    }

    /// A Spring cron expression; a bad one is a problem naming the key and the field at fault.
    mutating func cron(_ key: String, default fallback: String) -> CronSchedule {
        let text = string(key) ?? fallback
        do {
            return try CronSchedule(text)
        } catch {
            problem(key, text, "is not a valid cron expression: \(error)",
                    "Use six fields: second minute hour day-of-month month day-of-week, e.g. '0 * * * * *' (every minute) or '*/10 * * * * *' (every 10 seconds).")
            return try! CronSchedule("0 * * * * *")
        }
    }

    mutating func duration(_ key: String, default fallback: Duration) -> Duration {
        do {
            guard let value = try raw.duration(key) else { return fallback }
            guard value >= .zero else {
                problem(key, raw.string(key), "is negative", "Use a positive duration, e.g. 20s.")
                return fallback
            }
            return value
        } catch {
            problems += error.problems
            return fallback
        }
    }

    mutating func dataSize(_ key: String, default fallback: Int64) -> Int64 {
        do { return try raw.dataSize(key) ?? fallback } catch { problems += error.problems; return fallback }
    }

    /// An http(s) URL, or a problem.
    mutating func url(_ key: String) -> String? {
        guard let value = string(key) else { return nil }
        guard isHTTPURL(value) else {
            problem(key, value, "is not an http(s) URL", "Write the full address, starting with https://.")
            return nil
        }
        return value
    }

    func isHTTPURL(_ value: String) -> Bool {
        guard let url = URL(string: value), let scheme = url.scheme?.lowercased(), url.host != nil else { return false }
        return scheme == "http" || scheme == "https"
    }

    /// A file path (a leading `file:` removed, relative paths taken from the working directory); checks that the
    /// file exists when `checkFiles` is on.
    mutating func file(_ key: String, required: Bool, fix: String) -> String? {
        guard let value = string(key) else {
            if required { problem(key, nil, "is missing", fix) }
            return nil
        }
        let lower = value.lowercased()
        if lower.hasPrefix("vault:") || lower.hasPrefix("classpath:") {
            problem(key, value, lower.hasPrefix("vault:")
                        ? "names a HashiCorp Vault secret, which this gateway does not read"
                        : "names a resource inside the upstream's jar",
                    "Save the file on disk and give its path, e.g. file:/etc/integrasjonspunkt/keystore.p12.")
            return nil
        }
        let path = absolute(stripFilePrefix(value))
        if checkFiles && !FileManager.default.fileExists(atPath: path) {
            problem(key, value, "names a file that does not exist (\(path))",
                    "Check the path; relative paths start in the working directory \(workingDirectory.path).")
        }
        return path
    }

    func stripFilePrefix(_ value: String) -> String {
        guard value.lowercased().hasPrefix("file:") else { return value }
        var path = String(value.dropFirst(5))
        if path.hasPrefix("///") { path.removeFirst(2) }  // file:///etc/x → /etc/x
        return path
    }

    func absolute(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        return workingDirectory.appendingPathComponent(path).standardizedFileURL.path
    }
}
