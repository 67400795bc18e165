import Foundation
import Hummingbird
import Synchronization

/// KS Fiks in the sandbox network: SvarUt and SvarInn on one server, as `svarut.ks.no` serves both, and a
/// municipality (910076019, "Sandbox Kommune") that the registry offers only over DPF.
///
/// Every organisation of the network gets a SvarUt avsender login (SOAP), a SvarUt account with a Fiks integration
/// (REST), and a SvarInn mailbox encrypted to its virksomhetssertifikat; its properties point DPF at them.
public final class SandboxKSFiks: SandboxService {
    public static let municipalityNumber = "910076019"
    public static let municipalityName = "Sandbox Kommune"
    /// The processes the municipality takes over DPF: arkivmelding, and the receipts to it (which DPF drops).
    static let offers: [(process: String, documentTypes: [String])] = [
        ("urn:no:difi:profile:arkivmelding:administrasjon:ver1.0", ["urn:no:difi:arkivmelding:xsd::arkivmelding"]),
        ("urn:no:difi:profile:arkivmelding:response:ver1.0",
         ["urn:no:difi:arkivmelding:xsd::arkivmelding_kvittering", "urn:no:difi:eformidling:xsd::status"]),
    ]

    /// One organisation's logins at KS Fiks.
    public struct Logins: Sendable {
        public var svarUtUsername: String
        public var svarUtPassword: String
        public var kontoId: String
        public var integrasjonId: String
        public var integrasjonPassord: String
        public var svarInnUsername: String
        public var svarInnPassword: String
    }

    public let name = "KS Fiks SvarUt/SvarInn"
    public let svarUt: SandboxSvarUt
    public let svarInn: SandboxSvarInn
    /// The municipality's virksomhetssertifikat: SvarUt documents to it are encrypted to this certificate.
    public let municipality: SandboxIdentity
    public let logins: [String: Logins]
    private let baseURL = Mutex("")

    public init(context: SandboxServiceContext) throws {
        let folder = context.directory.appendingPathComponent("ks-fiks")
        svarUt = try SandboxSvarUt(storageDirectory: folder.appendingPathComponent("svarut"),
                                   tokenSigner: context.maskinporten.tokenSigner, now: context.now)
        svarInn = try SandboxSvarInn(storageDirectory: folder.appendingPathComponent("svarinn"), now: context.now)
        municipality = try context.issueIdentity(organisationNumber: Self.municipalityNumber, name: Self.municipalityName)
        var logins: [String: Logins] = [:]
        for organisation in context.organisations {
            let number = organisation.organisationNumber
            let login = Logins(svarUtUsername: "svarut-\(number)", svarUtPassword: SandboxNetwork.randomSecret(),
                               kontoId: UUID().uuidString.lowercased(), integrasjonId: UUID().uuidString.lowercased(),
                               integrasjonPassord: SandboxNetwork.randomSecret(), svarInnUsername: "svarinn-\(number)",
                               svarInnPassword: SandboxNetwork.randomSecret())
            svarUt.addSOAPAccount(username: login.svarUtUsername, password: login.svarUtPassword, organisation: number)
            svarUt.addRESTAccount(kontoId: login.kontoId, integrasjonId: login.integrasjonId,
                                  integrasjonPassord: login.integrasjonPassord, organisation: number)
            svarInn.addMailbox(organisation: number, username: login.svarInnUsername, password: login.svarInnPassword,
                               certificateDER: organisation.certificateDER)
            logins[number] = login
        }
        self.logins = logins
    }

    /// The factory for ``SandboxNetwork/Configuration/defaultServices``.
    public static let factory: SandboxServiceFactory = { try SandboxKSFiks(context: $0) }

    public func addRoutes(to router: Router<BasicRequestContext>) {
        svarUt.addRoutes(to: router)
        svarInn.addRoutes(to: router)
    }

    public func started(baseURL: String, network: SandboxServiceContext) throws {
        self.baseURL.withLock { $0 = baseURL }
        network.registry.register(SandboxRegistryEntry(
            identifier: Self.municipalityNumber, name: Self.municipalityName, certificatePEM: municipality.certificatePEM,
            postadresse: ["adresse": "Rådhusplassen 1", "postnummer": "0037", "poststed": "Oslo", "land": "Norge"],
            records: Self.offers.map {
                SandboxServiceRecord(service: "DPF", process: $0.process, documentTypes: $0.documentTypes,
                                     endpointURL: baseURL, securityLevel: 3, pemCertificate: municipality.certificatePEM)
            }))
    }

    public func properties(for organisation: SandboxNetwork.Organisation, in network: SandboxNetwork) -> [(String, String)] {
        guard let login = logins[organisation.organisationNumber] else { return [] }
        let base = baseURL.withLock { $0 }
        return [
            ("difi.move.feature.enableDPF", "true"),
            ("difi.move.fiks.ut.endpointUrl", base),
            ("difi.move.fiks.ut.username", login.svarUtUsername),
            ("difi.move.fiks.ut.password", login.svarUtPassword),
            ("difi.move.fiks.ut.rest.kontoid", login.kontoId),
            ("difi.move.fiks.ut.rest.integrasjon-id", login.integrasjonId),
            ("difi.move.fiks.ut.rest.integrasjon-passord", login.integrasjonPassord),
            ("difi.move.fiks.inn.baseUrl", base + SandboxSvarInn.basePath),
            ("difi.move.fiks.inn.username", login.svarInnUsername),
            ("difi.move.fiks.inn.password", login.svarInnPassword),
            ("difi.move.fiks.pollingrate", "1000"),
            // Statuses are asked for every second in the sandbox (upstream: every minute).
            ("difi.move.nextmove.statusPollingCron", "* * * * * *"),
        ]
    }

    public var summary: [String] {
        let base = baseURL.withLock { $0 }
        return [
            "KS SvarUt (SOAP)        \(base)\(SandboxSvarUt.soapPath)",
            "KS SvarUt (REST)        \(base)/api/v3",
            "KS SvarInn              \(base)\(SandboxSvarInn.basePath)",
            "  DPF-only municipality \(Self.municipalityNumber) \(Self.municipalityName)",
        ]
    }
}
