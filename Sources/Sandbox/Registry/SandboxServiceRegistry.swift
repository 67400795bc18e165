import Foundation
import Hummingbird
import Logging
import Synchronization

/// The service registry ("adressetjeneste") of the sandbox.
///
/// Serves `/identifier/{id}`, `/identifier/{id}/process/{process}`, `/info/{id}`, `/virksert/{id}` and `/jwk`
/// with the upstream's JSON. When the request accepts `application/jose` the answer is a compact JWS (RS256, `kid`)
/// over that JSON, verifiable with the key set at `/jwk`; otherwise plain JSON.
public final class SandboxServiceRegistry: Sendable {
    public struct Configuration: Sendable {
        public var organisations: [SandboxIdentity]
        /// What DPO records carry as `service.endpointUrl` (the broker's URL).
        public var dpoEndpointURL: String
        public var dpoResource: String
        public var offers: [SandboxServiceRecords.ProcessOffer]
        /// Identifiers beyond `organisations` (reached by other channels than DPO, or persons), by identifier.
        public var entries: [String: SandboxRegistryEntry] = [:]
        /// Further records for the organisations of `organisations`, by organisation number (e.g. DPE records).
        public var extraRecords: [String: [SandboxServiceRecord]] = [:]
        /// Answer plain JSON even when `application/jose` is asked for (to test clients that require signatures).
        public var neverSign = false

        public init(organisations: [SandboxIdentity], dpoEndpointURL: String = "",
                    dpoResource: String = "eformidling-dpo-meldingsutveksling",
                    offers: [SandboxServiceRecords.ProcessOffer] = SandboxServiceRecords.defaultOffers) {
            self.organisations = organisations
            self.dpoEndpointURL = dpoEndpointURL
            self.dpoResource = dpoResource
            self.offers = offers
        }
    }

    private struct State {
        var configuration: Configuration
        var requests: [String] = []
        var tamperedAnswersLeft = 0
        var failuresLeft = 0
    }

    public let signer: SandboxTokenSigner
    private let state: Mutex<State>

    public init(configuration: Configuration, signer: SandboxTokenSigner? = nil) throws {
        self.signer = try signer ?? SandboxTokenSigner(keyID: "sandbox-service-registry")
        self.state = Mutex(State(configuration: configuration))
    }

    // MARK: Test controls

    /// The paths (with query) of every request received, oldest first.
    public var receivedRequests: [String] { state.withLock { $0.requests } }

    /// Makes the next `count` signed answers carry a broken signature (the payload is changed after signing).
    public func tamperWithNextSignedAnswers(_ count: Int = 1) { state.withLock { $0.tamperedAnswersLeft = count } }

    /// Makes the next `count` identifier lookups answer 503, as a registry in maintenance does.
    public func failNextLookups(_ count: Int = 1) { state.withLock { $0.failuresLeft = count } }

    /// Adds or replaces an organisation (e.g. once the broker URL is known).
    public func update(_ change: @Sendable (inout Configuration) -> Void) { state.withLock { change(&$0.configuration) } }

    /// Adds or replaces an identifier beyond the organisations with integration points.
    public func register(_ entry: SandboxRegistryEntry) { state.withLock { $0.configuration.entries[entry.identifier] = entry } }

    /// Adds records to an organisation with an integration point (beside its DPO records).
    public func addRecords(_ records: [SandboxServiceRecord], to organisationNumber: String) {
        state.withLock { $0.configuration.extraRecords[organisationNumber, default: []] += records }
    }

    // MARK: Routes

    public func addRoutes(to router: Router<BasicRequestContext>, prefix: String = "") {
        let group = router.group(RouterPath(prefix.isEmpty ? "/" : prefix))
        group.get("identifier/:id") { request, context in
            try self.answer(request, id: context.parameters.require("id"), process: nil, infoOnly: false)
        }
        group.get("identifier/:id/process/:process") { request, context in
            try self.answer(request, id: context.parameters.require("id"),
                            process: context.parameters.require("process"), infoOnly: false)
        }
        group.get("info/:id") { request, context in
            try self.answer(request, id: context.parameters.require("id"), process: nil, infoOnly: true)
        }
        group.get("virksert/:id") { request, context in
            let id = try context.parameters.require("id")
            self.record(request)
            guard let pem = self.organisation(id)?.certificatePEM ?? self.entry(id)?.certificatePEM else {
                return HTTPAnswer.json(["error_code": "", "error_description": "Certificate for identifier '\(id)' not found."],
                                       status: .notFound)
            }
            return HTTPAnswer.text(pem, contentType: "text/plain; charset=utf-8")
        }
        group.get("jwk") { request, _ in
            self.record(request)
            return HTTPAnswer.json(["keys": [self.signer.jwk]])
        }
    }

    private func record(_ request: Request) {
        let path = request.uri.description
        state.withLock { $0.requests.append(path) }
    }

    private func entry(_ id: String) -> SandboxRegistryEntry? {
        state.withLock { $0.configuration.entries[id] }
    }

    private func organisation(_ id: String) -> SandboxIdentity? {
        state.withLock { $0.configuration.organisations.first { $0.organisationNumber == id } }
    }

    private func answer(_ request: Request, id rawID: String, process rawProcess: String?, infoOnly: Bool) throws -> Response {
        record(request)
        let failing = state.withLock { state -> Bool in
            guard state.failuresLeft > 0 else { return false }
            state.failuresLeft -= 1
            return true
        }
        if failing {
            return HTTPAnswer.json(["error_code": "", "error_description": "Service temporarily unavailable."],
                                   status: .serviceUnavailable)
        }
        let id = rawID.removingPercentEncoding ?? rawID
        let process = rawProcess.map { $0.removingPercentEncoding ?? $0 }
        let configuration = state.withLock { $0.configuration }
        guard let body = Self.lookup(id, process: process, infoOnly: infoOnly, in: configuration) else {
            return HTTPAnswer.json(["error_code": "", "error_description": "Entity with identifier '\(id)' not found."],
                                   status: .notFound)
        }
        let json = try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys, .withoutEscapingSlashes])
        let accept = request.headers[.accept] ?? ""
        guard accept.contains("application/jose"), !configuration.neverSign else {
            return HTTPAnswer.bytes(json, contentType: "application/json")
        }
        var jws = try signer.sign(payload: json, type: nil)
        let tamper = state.withLock { state -> Bool in
            guard state.tamperedAnswersLeft > 0 else { return false }
            state.tamperedAnswersLeft -= 1
            return true
        }
        if tamper {
            // Swap the payload for a changed one, keeping the original signature.
            let parts = jws.split(separator: ".").map(String.init)
            let name = (body["infoRecord"] as? [String: Any])?["organizationName"] as? String ?? ""
            let forged = json.replacingFirst(Data(name.utf8), with: Data("Mallory".utf8))
            jws = [parts[0], base64URL(forged), parts[2]].joined(separator: ".")
        }
        return HTTPAnswer.text(jws, contentType: "application/jose")
    }

    /// The registry's answer for `id` (filtered by `process`), or nil when the identifier is unknown.
    static func lookup(_ id: String, process: String?, infoOnly: Bool, in configuration: Configuration) -> [String: Any]? {
        let records: [SandboxServiceRecord]
        var info: [String: Any]
        if let organisation = configuration.organisations.first(where: { $0.organisationNumber == id }) {
            records = configuration.offers.map { offer in
                SandboxServiceRecord(service: "DPO", process: offer.process, documentTypes: offer.documentTypes,
                                     endpointURL: configuration.dpoEndpointURL, resource: configuration.dpoResource,
                                     securityLevel: 3, serviceCode: "4192", serviceEditionCode: "270815",
                                     pemCertificate: organisation.certificatePEM)
            } + (configuration.extraRecords[id] ?? [])
            info = ["identifier": id, "organizationName": organisation.organisationName, "organizationNumber": id,
                    "entityType": ["name": "ORGL", "acronym": "ORGL"], "postadresse": NSNull()]
        } else if let entry = configuration.entries[id] {
            records = entry.records
            info = ["identifier": id, "organizationName": entry.name,
                    "entityType": ["name": entry.entityType, "acronym": entry.entityType],
                    "postadresse": entry.postadresse.map { $0 as Any } ?? NSNull()]
            if entry.entityType != "PERSON" { info["organizationNumber"] = id }
        } else {
            return nil
        }
        let offered = infoOnly ? [] : records.filter { process == nil || $0.process == process }
        return ["infoRecord": info, "serviceRecords": offered.map { $0.json(identifier: id) }]
    }

    private func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

extension Data {
    func replacingFirst(_ target: Data, with replacement: Data) -> Data {
        guard let range = self.range(of: target) else { return self + Data(" ".utf8) }
        var copy = self
        copy.replaceSubrange(range, with: replacement)
        return copy
    }
}
