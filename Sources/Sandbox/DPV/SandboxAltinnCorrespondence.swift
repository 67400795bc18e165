import Foundation
import Hummingbird
import Synchronization

/// Altinn 3 Correspondence of the sandbox, as Digdir's proxy presents it to DPV (`altinn-correspondence-v1.json`):
/// `POST …/correspondence/upload` (multipart, dot-notation fields, `attachments` file parts, 409 on a known
/// idempotency key), `GET …/correspondence/{id}` (overview), `GET …/correspondence?sendersReference=`, and
/// `POST …/correspondence/{id}/markasread` — the recipient reading it. Every call needs an Altinn token from the
/// sandbox's token exchange with the scope `eformidling:dpv`.
///
/// It also registers a DPV-only organisation and a person in the service registry.
public final class SandboxAltinnCorrespondence: SandboxService {
    public static let basePath = "/correspondence/api/v1"
    public static let healthPath = "/health-probe"
    /// An organisation reached only by DPV.
    public static let organisationNumber = "910076787"
    public static let organisationName = "Sandbox Bedrift AS"
    /// A person reached by DPV (`digital_dpv`).
    public static let personNumber = "15058540088"
    public static let resource = "eformidling-dpv-administrasjon"

    public let name = "Altinn 3 Correspondence"

    struct Fault: Sendable {
        var status: Int
        var detail: String
        /// Store the correspondence and still answer the fault (the answer is lost on the way).
        var afterStoring: Bool
    }

    private struct State {
        var correspondences: [SandboxCorrespondence] = []
        var faults: [Fault] = []
        var uploads = 0
        var uploadDelay: Duration = .zero
        var baseURL = ""
    }

    private let altinnSigner: SandboxTokenSigner
    let now: @Sendable () -> Date
    private let state = Mutex(State())

    public init(altinnSigner: SandboxTokenSigner, now: @escaping @Sendable () -> Date = { Date() }) {
        self.altinnSigner = altinnSigner
        self.now = now
    }

    public static let factory: SandboxServiceFactory = { context in
        SandboxAltinnCorrespondence(altinnSigner: context.altinnSigner, now: context.now)
    }

    // MARK: Test controls

    /// Every correspondence created, oldest first.
    public var correspondences: [SandboxCorrespondence] { state.withLock { $0.correspondences } }
    /// How many uploads arrived (answered or not).
    public var uploadCount: Int { state.withLock { $0.uploads } }

    public func correspondence(sendersReference: String) -> SandboxCorrespondence? {
        state.withLock { $0.correspondences.first { $0.sendersReference == sendersReference } }
    }

    /// Makes the next `count` uploads answer `status` with `detail`; `afterStoring` stores the correspondence first,
    /// as when Altinn created it and the answer was lost.
    public func failNextUploads(_ count: Int, status: Int, detail: String = "Injected fault", afterStoring: Bool = false) {
        state.withLock { $0.faults += Array(repeating: Fault(status: status, detail: detail, afterStoring: afterStoring), count: count) }
    }

    /// Makes every following upload wait `delay` before it answers (to test timeouts); `.zero` ends it.
    public func delayUploads(by delay: Duration) { state.withLock { $0.uploadDelay = delay } }

    var uploadDelay: Duration { state.withLock { $0.uploadDelay } }

    /// The recipient reads the correspondence with `sendersReference` (the messageId); false when there is none.
    @discardableResult
    public func markRead(sendersReference: String) -> Bool {
        let at = now()
        return state.withLock { state in
            guard let index = state.correspondences.firstIndex(where: { $0.sendersReference == sendersReference }) else { return false }
            Self.read(&state.correspondences[index], at: at)
            return true
        }
    }

    // MARK: State

    func takeUploadFault() -> Fault? {
        state.withLock { state in
            state.uploads += 1
            return state.faults.isEmpty ? nil : state.faults.removeFirst()
        }
    }

    /// Stores `correspondence` unless its idempotency key is known; nil when it is.
    func storeUnlessKnown(_ correspondence: SandboxCorrespondence) -> SandboxCorrespondence? {
        state.withLock { state in
            if state.correspondences.contains(where: { $0.idempotentKey == correspondence.idempotentKey }) { return nil }
            state.correspondences.append(correspondence)
            return correspondence
        }
    }

    func verifiedClaims(_ token: String) -> [String: Any]? {
        altinnSigner.verifiedClaims(of: token, now: now())
    }

    static func read(_ correspondence: inout SandboxCorrespondence, at: Date) {
        guard correspondence.read == nil else { return }
        correspondence.read = at
        correspondence.status = "Read"
        correspondence.statusChanged = at
    }

    // MARK: SandboxService

    public var serviceURL: String { state.withLock { $0.baseURL } + Self.basePath }
    public var healthCheckURL: String { state.withLock { $0.baseURL } + Self.healthPath }

    public func started(baseURL: String, network: SandboxServiceContext) throws {
        state.withLock { $0.baseURL = baseURL }
        let arkivmelding = SandboxServiceRecord(
            service: "DPV", process: "urn:no:difi:profile:arkivmelding:administrasjon:ver1.0",
            documentTypes: ["urn:no:difi:arkivmelding:xsd::arkivmelding"], resource: Self.resource, securityLevel: 3,
            serviceCode: "4255", serviceEditionCode: "10")
        let receipts = SandboxServiceRecord(
            service: "DPV", process: "urn:no:difi:profile:arkivmelding:response:ver1.0",
            documentTypes: ["urn:no:difi:arkivmelding:xsd::arkivmelding_kvittering"], resource: Self.resource,
            securityLevel: 3, serviceCode: "4255", serviceEditionCode: "10")
        network.registry.register(SandboxRegistryEntry(
            identifier: Self.organisationNumber, name: Self.organisationName, records: [arkivmelding, receipts]))
        let digital = ["urn:no:difi:digitalpost:xsd:digital::digital_dpv"]
        network.registry.register(SandboxRegistryEntry(
            identifier: Self.personNumber, name: "Kari Sandkasse", entityType: "PERSON", records: [
                SandboxServiceRecord(service: "DPV", process: "urn:no:difi:profile:digitalpost:info:ver1.0",
                                     documentTypes: digital, resource: Self.resource, serviceCode: "4255",
                                     serviceEditionCode: "10"),
                SandboxServiceRecord(service: "DPV", process: "urn:no:difi:profile:digitalpost:vedtak:ver1.0",
                                     documentTypes: digital, resource: Self.resource, serviceCode: "4255",
                                     serviceEditionCode: "10"),
            ]))
    }

    public func properties(for organisation: SandboxNetwork.Organisation, in network: SandboxNetwork) -> [(String, String)] {
        [
            ("difi.move.feature.enableDPV", "true"),
            ("difi.move.dpv.correspondenceServiceUrl", serviceURL),
            ("difi.move.dpv.altinnTokenExchangeUrl", network.altinnTokenExchangeURL),
            ("difi.move.dpv.health-check-url", healthCheckURL),
            ("difi.move.dpv.pollingrate", "1000"),
        ]
    }

    public var summary: [String] {
        [
            "Altinn 3 Correspondence  \(serviceURL)",
            "  DPV only: \(Self.organisationNumber) \(Self.organisationName); person \(Self.personNumber)",
        ]
    }

    public func addRoutes(to router: Router<BasicRequestContext>) {
        let group = router.group(RouterPath(Self.basePath))
        group.post("correspondence/upload") { request, _ in try await self.upload(request) }
        group.get("correspondence") { request, _ in self.find(request) }
        group.get("correspondence/:id") { request, context in
            self.overview(request, id: try context.parameters.require("id"))
        }
        group.post("correspondence/:id/markasread") { request, context in
            self.markAsRead(request, id: try context.parameters.require("id"))
        }
        router.get(RouterPath(Self.healthPath)) { _, _ in HTTPAnswer.text("Healthy") }
    }
}
