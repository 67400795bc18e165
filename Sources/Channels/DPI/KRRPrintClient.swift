import AsyncHTTPClient
import Foundation
import NIOCore

/// Reads the print provider from the contact register (`GET difi.move.dpi.krr-print-url`), cached for five minutes
/// as the upstream caches it: the provider and its certificate change rarely, and a print letter needs both.
public actor KRRPrintClient {
    public let url: String
    private let httpClient: HTTPClient
    private let cacheLifetime: TimeInterval
    private let timeout: TimeAmount
    private let now: @Sendable () -> Date
    private var cached: (provider: PrintProvider, storedAt: Date)?
    private var inFlight: Task<PrintProvider, any Error>?
    /// Requests sent, for tests and diagnostics.
    public private(set) var requestCount = 0

    public init(url: String, httpClient: HTTPClient, cacheLifetime: TimeInterval = 300, timeout: TimeAmount = .seconds(30),
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.url = url
        self.httpClient = httpClient
        self.cacheLifetime = cacheLifetime
        self.timeout = timeout
        self.now = now
    }

    /// The print provider, from the cache while it is younger than five minutes.
    public func printProvider() async throws -> PrintProvider {
        if let cached, now().timeIntervalSince(cached.storedAt) < cacheLifetime { return cached.provider }
        if let inFlight { return try await inFlight.value }
        let fetch = Task { try await self.fetch() }
        inFlight = fetch
        defer { inFlight = nil }
        let provider = try await fetch.value
        cached = (provider, now())
        return provider
    }

    private func fetch() async throws -> PrintProvider {
        requestCount += 1
        var request = HTTPClientRequest(url: url)
        request.method = .GET
        request.headers.add(name: "Accept", value: "application/json")
        let answer: HTTPAnswer
        do {
            answer = try await HTTPExchange.send(request, on: httpClient, timeout: timeout)
        } catch let failure as HTTPExchange.TransportFailure {
            throw DPIError.printProviderUnavailable(failure.description)
        }
        guard answer.isSuccess else {
            throw DPIError.printProviderUnavailable("HTTP \(answer.status) from \(url): \(answer.text.prefix(300))")
        }
        return try PrintProvider(json: answer.body)
    }
}
