import Foundation

/// Where the Service Bus shared access key comes from.
public protocol SASKeyProvider: Sendable {
    /// The key to sign with.
    func key() async throws -> String
    /// Forgets a key the bus refused (HTTP 401), so the next `key()` fetches it again.
    func invalidate() async
}

/// Why no key could be had.
public struct SASKeyError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// `difi.move.nextmove.serviceBus.sasToken`: the key written in the configuration (when `difi.move.oidc.enable=false`).
public struct ConfiguredSASKey: SASKeyProvider {
    private let value: String

    public init(_ value: String) { self.value = value }

    public func key() async throws -> String { value }
    /// A configured key cannot be fetched again; a 401 is reported as it is.
    public func invalidate() async {}
}

/// The key from the service registry's `GET /sastoken` (when `difi.move.oidc.enable=true`), cached for a day as the
/// upstream does and dropped when the bus answers 401.
///
/// While the registry cannot be reached the last key fetched is used (the upstream keeps it in the `sas_key_wrapper`
/// table for the same reason); a key the bus refused is never reused.
public actor RegistrySASKey: SASKeyProvider {
    private let fetch: @Sendable () async throws -> String
    private let lifetime: TimeInterval
    private let now: @Sendable () -> Date
    private var cached: (key: String, fetchedAt: Date)?
    private var lastGood: String?
    /// How many times the registry was asked (for tests and diagnostics).
    public private(set) var fetchCount = 0

    public init(registry: ServiceRegistryClient, lifetime: TimeInterval = 86_400, now: @escaping @Sendable () -> Date = { Date() }) {
        self.init(lifetime: lifetime, now: now) { try await registry.sasKey() }
    }

    public init(lifetime: TimeInterval = 86_400, now: @escaping @Sendable () -> Date = { Date() },
                fetch: @escaping @Sendable () async throws -> String) {
        self.fetch = fetch
        self.lifetime = lifetime
        self.now = now
    }

    public func key() async throws -> String {
        if let cached, now().timeIntervalSince(cached.fetchedAt) < lifetime { return cached.key }
        fetchCount += 1
        do {
            let key = try await fetch()
            cached = (key, now())
            lastGood = key
            return key
        } catch let error as ServiceRegistryError where error.isTransient {
            if let lastGood { return lastGood }
            throw SASKeyError("The Service Bus key cannot be fetched from the service registry (/sastoken): \(error)")
        } catch {
            throw SASKeyError("The Service Bus key cannot be fetched from the service registry (/sastoken): \(error)")
        }
    }

    public func invalidate() {
        cached = nil
        lastGood = nil
    }
}
