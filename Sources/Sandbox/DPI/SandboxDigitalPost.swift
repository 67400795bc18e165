import Foundation
import Hummingbird

/// DPI in the sandbox network: corner 2 and the contact register's print certificate on one server, and two
/// citizens in the service registry — one with a digital mailbox, one who gets post on paper.
public final class SandboxDigitalPost: SandboxService {
    /// A citizen with a mailbox at the sandbox postbox provider (a valid test person number).
    public static let citizenWithMailbox = "15038010015"
    /// A citizen without a digital mailbox: letters to them go to print.
    public static let citizenWithoutMailbox = "01017010170"
    public static let mailbox = "ola.nordmann#SNDB"
    public static let postboxOrganisation = "987464291"
    public static let printOrganisation = "984661185"
    public static let meldingsformidlerOrganisation = "922222222"
    public static let processes = ["urn:no:difi:profile:digitalpost:vedtak:ver1.0", "urn:no:difi:profile:digitalpost:info:ver1.0"]
    public static let digitalDocumentType = "urn:no:difi:digitalpost:xsd:digital::digital"
    public static let printDocumentType = "urn:no:difi:digitalpost:xsd:fysisk::print"

    /// Makes it from the network's parts (``SandboxNetwork/Configuration/defaultServices``).
    public static let factory: SandboxServiceFactory = { try SandboxDigitalPost($0) }

    public let name = "DPI corner 2"
    public let corner2: SandboxCorner2
    public let krr: SandboxKRRPrint
    /// The postbox provider, whose certificate digital letters are encrypted to (its key can open them).
    public let postbox: SandboxIdentity
    private let caPath: URL
    private let baseURL = LockedValue("")

    public init(_ context: SandboxServiceContext) throws {
        postbox = try context.issueIdentity(organisationNumber: Self.postboxOrganisation, name: "Sandbox Postkasse")
        let printer = try context.issueIdentity(organisationNumber: Self.printOrganisation, name: "Sandbox Utskrift")
        let meldingsformidler = try context.issueIdentity(organisationNumber: Self.meldingsformidlerOrganisation,
                                                          name: "Sandbox Meldingsformidler")
        // Receipts forged "by someone else" are signed by a certificate from a CA nobody trusts.
        let strangers = try SandboxCertificateAuthority(commonName: "Mallory CA", now: context.now(),
                                                        key: try context.makeKey("dpi-impostor-ca", context.certificateKeyBits))
        let impostor = try strangers.issueVirksomhetssertifikat(organisationNumber: "999999999", organisationName: "Mallory",
                                                                now: context.now(),
                                                                key: try context.makeKey("dpi-impostor", context.certificateKeyBits))
        corner2 = try SandboxCorner2(storageDirectory: context.directory.appendingPathComponent("dpi"), authority: context.authority,
                                     meldingsformidler: meldingsformidler, impostor: impostor,
                                     tokenSigner: context.maskinporten.tokenSigner, now: context.now)
        krr = SandboxKRRPrint(printProvider: printer)
        caPath = context.directory.appendingPathComponent("sandbox-ca.pem")
    }

    public func addRoutes(to router: Router<BasicRequestContext>) {
        corner2.addRoutes(to: router)
        krr.addRoutes(to: router)
    }

    public func started(baseURL: String, network: SandboxServiceContext) throws {
        self.baseURL.set(baseURL)
        let returnAddress: JSONValue = ["name": "Sandbox Avsender", "street": "Postboks 1", "postalCode": "0101",
                                        "postalArea": "OSLO", "country": "NORGE"]
        let withMailbox: [String: JSONValue] = [
            "orgnrPostkasse": .string(Self.postboxOrganisation), "postkasseAdresse": .string(Self.mailbox),
            "epostAdresse": "ola.nordmann@example.no", "mobilnummer": "99999999", "kanVarsles": true, "fysiskPost": false,
            "spraak": "NO",
            "postAddress": ["name": "Ola Nordmann", "street": "Fjellveien 1;Oppgang B", "postalCode": "3400",
                            "postalArea": "FJELLET", "country": "NORGE"],
            "returnAddress": returnAddress,
        ]
        let onPaper: [String: JSONValue] = [
            "kanVarsles": false, "fysiskPost": true, "spraak": "NO",
            "postAddress": ["name": "Kari Nordmann", "street": "Storgata 2", "postalCode": "9008", "postalArea": "TROMSØ",
                            "country": "NORGE"],
            "returnAddress": returnAddress,
        ]
        network.registry.register(SandboxRegistryEntry(
            identifier: Self.citizenWithMailbox, name: "Ola Nordmann", entityType: "PERSON",
            records: Self.processes.map { process in
                SandboxServiceRecord(service: "DPI", process: process, documentTypes: [Self.digitalDocumentType, Self.printDocumentType],
                                     endpointURL: corner2URL, securityLevel: 4, pemCertificate: postbox.certificatePEM,
                                     extras: withMailbox)
            }))
        network.registry.register(SandboxRegistryEntry(
            identifier: Self.citizenWithoutMailbox, name: "Kari Nordmann", entityType: "PERSON",
            records: Self.processes.map { process in
                SandboxServiceRecord(service: "DPI", process: process, documentTypes: [Self.printDocumentType],
                                     endpointURL: corner2URL, securityLevel: 4, extras: onPaper)
            }))
    }

    public var corner2URL: String { baseURL.get() + SandboxCorner2.basePath }
    public var krrPrintURL: String { baseURL.get() + SandboxKRRPrint.path }

    public func properties(for organisation: SandboxNetwork.Organisation, in network: SandboxNetwork) -> [(String, String)] {
        [
            ("difi.move.feature.enableDPI", "true"),
            ("difi.move.dpi.uri", corner2URL),
            ("difi.move.dpi.krr-print-url", krrPrintURL),
            ("difi.move.dpi.certificate.mode", "TEST"),
            ("difi.move.dpi.certificate.trusted-certificates", caPath.path),
            ("difi.move.dpi.pollingrate", "1000"),
        ]
    }

    public var summary: [String] {
        [
            "DPI corner 2            \(corner2URL)   (print certificate: \(krrPrintURL))",
            "  citizen \(Self.citizenWithMailbox) has the mailbox \(Self.mailbox); citizen \(Self.citizenWithoutMailbox) gets post on paper",
        ]
    }
}
