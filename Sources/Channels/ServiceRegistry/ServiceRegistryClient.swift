import AsyncHTTPClient
import Foundation
import Model
import NIOCore
import NIOHTTP1
import Packaging

/// The service registry ("adressetjeneste") client (`internals.md` §1).
///
/// Lookups are cached for `cacheLifetime`, keyed without `conversationId`. With `requireSignedAnswers`, answers are
/// asked for as `application/jose` and verified against the JWK set at `jwkURL`; the set is cached and fetched
/// again once when the `kid` is unknown or the cached keys do not verify. A bad signature is an error.
public actor ServiceRegistryClient {
    public let configuration: ServiceRegistryConfiguration
    private let httpClient: HTTPClient
    private let tokenProvider: (any AccessTokenProvider)?
    private let now: @Sendable () -> Date
    private var entries: [String: (entry: ServiceRegistryEntry, storedAt: Date)] = [:]
    private var certificates: [String: (pem: String, storedAt: Date)] = [:]
    private var keySet: JWKSet?
    /// Requests sent to the registry (lookups and JWK fetches), for diagnostics and tests.
    public private(set) var requestCount = 0

    /// - Parameter tokenProvider: the Maskinporten token for `Authorization: Bearer` (when `difi.move.oidc.enable`).
    public init(configuration: ServiceRegistryConfiguration, httpClient: HTTPClient,
                tokenProvider: (any AccessTokenProvider)? = nil, now: @escaping @Sendable () -> Date = { Date() }) {
        self.configuration = configuration
        self.httpClient = httpClient
        self.tokenProvider = tokenProvider
        self.now = now
    }

    // MARK: Lookups

    /// `GET /identifier/{id}` or `/identifier/{id}/process/{process}`, with `securityLevel` and `conversationId`.
    public func lookup(identifier: String, process: String? = nil, securityLevel: Int? = nil,
                       conversationId: String? = nil) async throws -> ServiceRegistryEntry {
        var path = "identifier/\(HTTPExchange.pathSegment(identifier))"
        if let process { path += "/process/\(HTTPExchange.pathSegment(process))" }
        return try await entry(path: path, securityLevel: securityLevel, conversationId: conversationId)
    }

    /// `GET /info/{id}`: who the identifier is, without service records.
    public func info(identifier: String) async throws -> InfoRecord {
        try await entry(path: "info/\(HTTPExchange.pathSegment(identifier))", securityLevel: nil, conversationId: nil).infoRecord
    }

    /// `GET /virksert/{orgnr}`: the organisation's certificate as PEM (cached like lookups).
    public func virksert(identifier: String) async throws -> String {
        if let cached = certificates[identifier], now().timeIntervalSince(cached.storedAt) < configuration.cacheLifetime {
            return cached.pem
        }
        let answer = try await get(path: "virksert/\(HTTPExchange.pathSegment(identifier))", query: [])
        try Self.throwIfFailed(answer, identifier: identifier)
        var text = answer.text
        if answer.contentType.contains("application/jose") {
            text = String(decoding: try await verifiedPayload(of: text), as: UTF8.self)
        }
        let pem = ServiceRecord.normalisedPEM(text)
        certificates[identifier] = (pem, now())
        return pem
    }

    /// The record of the receiver for the process whose `documentTypes` contain `documentType` (the first such).
    public func serviceRecord(for receiver: String, process: String, documentType: String, securityLevel: Int? = nil,
                              conversationId: String? = nil) async throws -> ServiceRecord {
        let entry = try await lookup(identifier: receiver, process: process, securityLevel: securityLevel,
                                     conversationId: conversationId)
        guard let record = entry.serviceRecords.first(where: { $0.documentTypes.contains(documentType) }) else {
            let offered = entry.serviceRecords.map { "\($0.process) \($0.documentTypes)" }.joined(separator: "; ")
            throw ServiceRegistryError.receiverDoesNotAcceptProcess(
                receiver: receiver, process: process, documentType: documentType,
                detail: offered.isEmpty ? "the registry lists no records for this process" : "the registry offers: \(offered)")
        }
        return record
    }

    /// The channel for a message: the `service.identifier` of `serviceRecord(for:…)`.
    public func serviceIdentifier(for receiver: String, process: String, documentType: String, securityLevel: Int? = nil,
                                  conversationId: String? = nil) async throws -> ServiceIdentifier {
        try await serviceRecord(for: receiver, process: process, documentType: documentType,
                                securityLevel: securityLevel, conversationId: conversationId).service.identifier
    }

    /// Forgets cached lookups, certificates and keys.
    public func clearCache() {
        entries.removeAll()
        certificates.removeAll()
        keySet = nil
    }

    // MARK: Internals

    private func entry(path: String, securityLevel: Int?, conversationId: String?) async throws -> ServiceRegistryEntry {
        let cacheKey = path + "?securityLevel=\(securityLevel.map(String.init) ?? "")"
        if let cached = entries[cacheKey], now().timeIntervalSince(cached.storedAt) < configuration.cacheLifetime {
            return cached.entry
        }
        var query: [(String, String)] = []
        if let securityLevel { query.append(("securityLevel", "\(securityLevel)")) }
        if let conversationId { query.append(("conversationId", conversationId)) }
        let answer = try await get(path: path, query: query)
        let identifier = path.split(separator: "/").dropFirst().first.map { String($0).removingPercentEncoding ?? String($0) } ?? path
        try Self.throwIfFailed(answer, identifier: identifier)
        let json: Data
        if configuration.requireSignedAnswers {
            guard answer.contentType.contains("application/jose") || Self.looksLikeCompactJWS(answer.text) else {
                throw ServiceRegistryError.badSignature("signed answers are required (difi.move.sign.enable) but the answer is \(answer.contentType.isEmpty ? "unsigned" : answer.contentType)")
            }
            json = try await verifiedPayload(of: answer.text)
        } else if Self.looksLikeCompactJWS(answer.text) {
            json = try await verifiedPayload(of: answer.text)
        } else {
            json = answer.body
        }
        let entry: ServiceRegistryEntry
        do {
            entry = try JSONDecoder().decode(ServiceRegistryEntry.self, from: json)
        } catch {
            throw ServiceRegistryError.malformedAnswer("\(error)")
        }
        entries[cacheKey] = (entry, now())
        return entry
    }

    func get(path: String, query: [(String, String)], url explicitURL: String? = nil, signed: Bool = true) async throws -> HTTPAnswer {
        var url = explicitURL ?? HTTPExchange.join(configuration.endpoint, path)
        if !query.isEmpty {
            url += "?" + query.map { "\($0.0)=\(HTTPExchange.queryEncode($0.1))" }.joined(separator: "&")
        }
        var request = HTTPClientRequest(url: url)
        request.method = .GET
        request.headers.add(name: "Accept", value: signed && configuration.requireSignedAnswers
                            ? "application/jose, application/json" : "application/json")
        if configuration.enableBetaFeatures { request.headers.add(name: "X-Enable-Beta-Features", value: "true") }
        requestCount += 1
        var answer = try await send(request, withTokenFrom: tokenProvider)
        if answer.status == 401, let tokenProvider {
            // The token may have been revoked or expired early: renew it once.
            await tokenProvider.invalidate()
            requestCount += 1
            answer = try await send(request, withTokenFrom: tokenProvider)
        }
        return answer
    }

    private func send(_ request: HTTPClientRequest, withTokenFrom tokenProvider: (any AccessTokenProvider)?) async throws -> HTTPAnswer {
        var request = request
        if let tokenProvider {
            do {
                request.headers.replaceOrAdd(name: "Authorization", value: "Bearer \(try await tokenProvider.accessToken())")
            } catch let error as TokenError {
                throw error.isTransient ? ServiceRegistryError.unavailable(error.description)
                                        : ServiceRegistryError.registryError(status: error.status ?? 401, detail: error.description)
            }
        }
        do {
            return try await HTTPExchange.send(request, on: httpClient, timeout: configuration.timeout)
        } catch let failure as HTTPExchange.TransportFailure {
            throw ServiceRegistryError.unavailable(failure.description)
        }
    }

    static func throwIfFailed(_ answer: HTTPAnswer, identifier: String) throws {
        guard !answer.isSuccess else { return }
        let json = try? JSONSerialization.jsonObject(with: answer.body) as? [String: Any]
        let detail = (json?["error_description"] as? String) ?? (json?["message"] as? String) ?? answer.text
        if answer.status == 404 { throw ServiceRegistryError.identifierNotFound(identifier: identifier, detail: detail) }
        throw ServiceRegistryError.registryError(status: answer.status, detail: detail)
    }

    static func looksLikeCompactJWS(_ text: String) -> Bool {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return !trimmed.hasPrefix("{") && trimmed.split(separator: ".", omittingEmptySubsequences: false).count == 3
    }

    /// Verifies the compact JWS (Packaging's `JWSVerifier`) and returns its payload. The cached JWK set is fetched
    /// again once when the `kid` is unknown or the signature does not verify with it.
    func verifiedPayload(of compact: String) async throws -> Data {
        let token = compact.trimmingCharacters(in: .whitespacesAndNewlines)
        if let keySet, let payload = try? JWSVerifier(keySet: keySet).verify(token) { return payload }
        let fresh = try await fetchKeySet()
        keySet = fresh
        do {
            return try JWSVerifier(keySet: fresh).verify(token)
        } catch {
            throw ServiceRegistryError.badSignature("\(error) (keys from \(configuration.jwkURL))")
        }
    }

    private func fetchKeySet() async throws -> JWKSet {
        let answer = try await get(path: "", query: [], url: configuration.jwkURL, signed: false)
        guard answer.isSuccess else {
            throw ServiceRegistryError.registryError(status: answer.status, detail: "the JWK set at \(configuration.jwkURL): \(answer.text)")
        }
        do {
            return try JWKSet(json: answer.body)
        } catch {
            throw ServiceRegistryError.malformedAnswer("the JWK set at \(configuration.jwkURL): \(error)")
        }
    }
}
