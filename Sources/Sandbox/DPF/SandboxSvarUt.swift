import Foundation
import Hummingbird
import Logging
import Synchronization

/// KS SvarUt of the sandbox: the SOAP `ForsendelsesServiceV9` (HTTP Basic per avsender account) and the REST API
/// (Maskinporten token with scope `ks:fiks` plus `IntegrasjonId`/`IntegrasjonPassord` per account), as the
/// integration point calls them for DPF.
///
/// Forsendelser are kept with their documents on disk under `storageDirectory` (as sent: CMS-encrypted when the
/// forsendelse says `kryptert`). A new forsendelse has status `MOTTATT`; `markRead(_:)` makes it `LEST`, as a
/// municipality opening it would. Faults can be injected per operation.
public final class SandboxSvarUt: Sendable {
    public static let soapPath = "/tjenester/forsendelseservice/ForsendelsesServiceV9"

    /// The operations faults can be injected into.
    public enum Operation: String, Sendable, CaseIterable {
        case send, status, eksternRef, forsendelseTyper
    }

    /// A forsendelse SvarUt accepted.
    public struct Forsendelse: Sendable {
        public struct Dokument: Sendable {
            public var filnavn: String
            public var mimetype: String
            /// The bytes as received.
            public var file: URL
            public var size: Int64
            public var ekskluderesFraPrint: Bool?
        }

        public var id: String
        /// `ws` or `rest`.
        public var transport: String
        /// The organisation of the account that sent it.
        public var sender: String
        public var receiver: String
        public var eksternReferanse: String?
        public var tittel: String
        public var forsendelseType: String?
        public var kryptert: Bool
        /// `BETYDELIG` or `HOYESTE`.
        public var sikkerhetsnivaa: String
        public var svarPaForsendelse: String?
        public var svarSendesTil: String?
        public var dokumenter: [Dokument]
        public var status: String
        public var statusChanged: Date
        /// The request as received: the SOAP envelope, or the REST `forsendelse` JSON.
        public var request: String
    }

    struct SOAPAccount: Sendable {
        var password: String
        var organisation: String
    }

    struct RESTAccount: Sendable {
        var integrasjonId: String
        var integrasjonPassord: String
        var organisation: String
    }

    enum Fault: Sendable {
        /// A SOAP fault (`ws`) or an `ErrorMessage` (`rest`, HTTP 400) with this text.
        case text(String)
        case status(Int)
    }

    struct State {
        var forsendelser: [String: Forsendelse] = [:]
        var order: [String] = []
        var soapAccounts: [String: SOAPAccount] = [:]
        var restAccounts: [String: RESTAccount] = [:]
        var forsendelseTyper = ["arkivmelding", "Byggesak", "Planbehandling"]
        var faults: [Operation: (remaining: Int, fault: Fault)] = [:]
        var calls: [Operation: Int] = [:]
        /// eksternReferanser whose forsendelse is read as soon as it arrives.
        var readOnArrival: Set<String> = []
    }

    public let storageDirectory: URL
    /// Checks the Maskinporten tokens of REST calls (the sandbox Maskinporten's signer).
    let tokenSigner: SandboxTokenSigner
    let now: @Sendable () -> Date
    let state = Mutex(State())

    public init(storageDirectory: URL, tokenSigner: SandboxTokenSigner, now: @escaping @Sendable () -> Date = { Date() }) throws {
        self.storageDirectory = storageDirectory
        self.tokenSigner = tokenSigner
        self.now = now
        try FileManager.default.createDirectory(at: storageDirectory, withIntermediateDirectories: true)
    }

    // MARK: Test controls

    /// An avsender login for the SOAP API, sending for `organisation`.
    public func addSOAPAccount(username: String, password: String, organisation: String) {
        state.withLock { $0.soapAccounts[username] = SOAPAccount(password: password, organisation: organisation) }
    }

    /// A REST account (konto) with its Fiks integration, sending for `organisation`.
    public func addRESTAccount(kontoId: String, integrasjonId: String, integrasjonPassord: String, organisation: String) {
        state.withLock {
            $0.restAccounts[kontoId.lowercased()] = RESTAccount(integrasjonId: integrasjonId.lowercased(),
                                                                integrasjonPassord: integrasjonPassord, organisation: organisation)
        }
    }

    public var forsendelseTyper: [String] {
        get { state.withLock { $0.forsendelseTyper } }
        set { state.withLock { $0.forsendelseTyper = newValue } }
    }

    /// The next `count` calls of `operation` fail with a SOAP fault (or REST error message) saying `fault`,
    /// e.g. "Duplikat forsendelse" (unrecoverable) or "Midlertidig feil" (retried).
    public func failNext(_ operation: Operation, count: Int = 1, fault: String) {
        state.withLock { $0.faults[operation] = (count, .text(fault)) }
    }

    /// The next `count` calls of `operation` fail with HTTP `statusCode` and no SOAP body.
    public func failNext(_ operation: Operation, count: Int = 1, statusCode: Int) {
        state.withLock { $0.faults[operation] = (count, .status(statusCode)) }
    }

    /// The receiver has read the forsendelse: its status becomes `LEST`.
    public func markRead(_ forsendelseId: String) { setStatus(forsendelseId, "LEST") }

    /// The forsendelse sent with `eksternReferanse` is read the moment SvarUt accepts it, so the first status poll
    /// already finds it `LEST` (for tests and the demo, which cannot wait out the status back-off).
    public func markRead(whenSent eksternReferanse: String) {
        state.withLock { _ = $0.readOnArrival.insert(eksternReferanse) }
    }

    public func setStatus(_ forsendelseId: String, _ status: String) {
        let now = now()
        state.withLock {
            $0.forsendelser[forsendelseId]?.status = status
            $0.forsendelser[forsendelseId]?.statusChanged = now
        }
    }

    /// Every accepted forsendelse, oldest first.
    public var forsendelser: [Forsendelse] {
        state.withLock { state in state.order.compactMap { state.forsendelser[$0] } }
    }

    public func forsendelse(eksternReferanse: String) -> Forsendelse? {
        forsendelser.last { $0.eksternReferanse == eksternReferanse }
    }

    /// How often `operation` was called (faults included).
    public func calls(_ operation: Operation) -> Int { state.withLock { $0.calls[operation] ?? 0 } }

    // MARK: Routes

    public func addRoutes(to router: Router<BasicRequestContext>) {
        router.post(RouterPath(Self.soapPath)) { request, _ in try await self.soap(request) }
        addRESTRoutes(to: router)
    }

    // MARK: Shared

    /// Counts the call and answers the injected fault, if one is due.
    func injectedFault(_ operation: Operation) -> Fault? {
        state.withLock { state in
            state.calls[operation, default: 0] += 1
            guard let entry = state.faults[operation], entry.remaining > 0 else { return nil }
            state.faults[operation] = (entry.remaining - 1, entry.fault)
            return entry.fault
        }
    }

    /// Stores an accepted forsendelse; nil when the id is taken.
    func accept(_ forsendelse: Forsendelse) -> Bool {
        state.withLock { state in
            guard state.forsendelser[forsendelse.id] == nil else { return false }
            var forsendelse = forsendelse
            if let reference = forsendelse.eksternReferanse, state.readOnArrival.remove(reference) != nil {
                forsendelse.status = "LEST"
            }
            state.forsendelser[forsendelse.id] = forsendelse
            state.order.append(forsendelse.id)
            return true
        }
    }

    func statuses(of ids: [String], sender: String) -> [Forsendelse] {
        state.withLock { state in ids.compactMap { state.forsendelser[$0] }.filter { $0.sender == sender } }
    }

    func ids(eksternReferanse: String, sender: String) -> [String] {
        forsendelser.filter { $0.eksternReferanse == eksternReferanse && $0.sender == sender }.map(\.id)
    }

    func folder(for id: String) throws -> URL {
        let folder = storageDirectory.appendingPathComponent(id.replacingOccurrences(of: "/", with: "_"))
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// Moves documents received into temporary files to the forsendelse's folder.
    func keep(_ dokumenter: [Forsendelse.Dokument], id: String) throws -> [Forsendelse.Dokument] {
        let folder = try folder(for: id)
        return try dokumenter.enumerated().map { index, dokument in
            var kept = dokument
            kept.file = folder.appendingPathComponent("\(index)-\(UUID().uuidString.prefix(8))")
            try FileManager.default.moveItem(at: dokument.file, to: kept.file)
            return kept
        }
    }

    static func fileSize(_ url: URL) -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? NSNumber)?.int64Value ?? 0
    }
}
