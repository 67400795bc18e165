import AsyncHTTPClient
import Channels
import Foundation
import Hummingbird
import Logging
import Model
import Packaging
import Sandbox
import TestTools

/// A corner 2, a contact register and Maskinporten of the sandbox on one loopback server, with the certificates of
/// a DPI exchange: the sender, the citizen's postbox provider, the print provider, corner 2's receipt signer and an
/// impostor from another CA.
final class DPITestWorld: Sendable {
    static let senderOrganisation = "910077473"
    static let postboxOrganisation = "987464291"
    static let printOrganisation = "984661185"
    static let mailbox = "ola.nordmann#9YDT"

    let authority: SandboxCertificateAuthority
    let sender: SandboxIdentity
    let postbox: SandboxIdentity
    let printer: SandboxIdentity
    let tokenSigner: SandboxTokenSigner
    let corner2: SandboxCorner2
    let krr: SandboxKRRPrint
    let maskinporten: SandboxMaskinporten
    let server: SandboxHTTPServer
    let scratch: Scratch

    var corner2URL: String { server.baseURL + SandboxCorner2.basePath }
    var krrURL: String { server.baseURL + SandboxKRRPrint.path }

    private init(authority: SandboxCertificateAuthority, sender: SandboxIdentity, postbox: SandboxIdentity, printer: SandboxIdentity,
                 tokenSigner: SandboxTokenSigner, corner2: SandboxCorner2, krr: SandboxKRRPrint, maskinporten: SandboxMaskinporten,
                 server: SandboxHTTPServer, scratch: Scratch) {
        self.authority = authority
        self.sender = sender
        self.postbox = postbox
        self.printer = printer
        self.tokenSigner = tokenSigner
        self.corner2 = corner2
        self.krr = krr
        self.maskinporten = maskinporten
        self.server = server
        self.scratch = scratch
    }

    static func start(now: @escaping @Sendable () -> Date = { Date() }) async throws -> DPITestWorld {
        let scratch = try Scratch()
        let authority = try SandboxCertificateAuthority(now: now(), key: try TestKeys.key("dpi-ca", 2048))
        func issue(_ number: String, _ name: String) throws -> SandboxIdentity {
            try authority.issueVirksomhetssertifikat(organisationNumber: number, organisationName: name, now: now(),
                                                     key: try TestKeys.key("dpi-\(number)", 2048))
        }
        let impostorAuthority = try SandboxCertificateAuthority(commonName: "Mallory CA", now: now(), key: try TestKeys.key("dpi-mallory-ca", 2048))
        let impostor = try impostorAuthority.issueVirksomhetssertifikat(organisationNumber: "999999999", organisationName: "Mallory",
                                                                        now: now(), key: try TestKeys.key("dpi-mallory", 2048))
        let tokenSigner = SandboxTokenSigner(keyID: "sandbox-maskinporten", key: try TestKeys.key("dpi-maskinporten", 2048))
        let corner2 = try SandboxCorner2(storageDirectory: scratch.url.appendingPathComponent("corner2"), authority: authority,
                                         meldingsformidler: try issue("922222222", "Sandbox Meldingsformidler"),
                                         impostor: impostor, tokenSigner: tokenSigner, now: now)
        let printer = try issue(printOrganisation, "Sandbox Utskrift")
        let krr = SandboxKRRPrint(printProvider: printer)
        let maskinporten = try SandboxMaskinporten(configuration: .init(audience: "sandbox-audience"), authority: authority,
                                                   altinnSigner: SandboxTokenSigner(keyID: "altinn", key: try TestKeys.key("dpi-altinn", 2048)),
                                                   tokenSigner: tokenSigner, now: now)
        let router = Router()
        corner2.addRoutes(to: router)
        krr.addRoutes(to: router)
        maskinporten.addRoutes(to: router)
        var logger = Logger(label: "dpi-test")
        logger.logLevel = .warning
        let server = try await SandboxHTTPServer.start(router: router, name: "DPI", logger: logger)
        return DPITestWorld(authority: authority, sender: try issue(senderOrganisation, "Sandbox Avsender"),
                            postbox: try issue(postboxOrganisation, "Sandbox Postkasse"), printer: printer, tokenSigner: tokenSigner,
                            corner2: corner2, krr: krr, maskinporten: maskinporten, server: server, scratch: scratch)
    }

    func stop() async {
        await server.stop()
        scratch.remove()
    }

    /// A valid sandbox Maskinporten token with the DPI scope.
    func token(consumer: String = senderOrganisation) throws -> String {
        let issued = Int(Date().timeIntervalSince1970)
        return try tokenSigner.signJWT(claims: ["scope": "digitalpostinnbygger:send", "iat": issued, "exp": issued + 120,
                                                "consumer": ["authority": "iso6523-actorid-upis", "ID": "0192:\(consumer)"]])
    }

    /// The citizen's DPI record as the service registry gives it.
    var citizenRecord: ServiceRecord {
        var record = ServiceRecord(organisationNumber: nil, pemCertificate: postbox.certificatePEM,
                                   process: "urn:no:difi:profile:digitalpost:vedtak:ver1.0",
                                   documentTypes: ["urn:no:difi:digitalpost:xsd:digital::digital", "urn:no:difi:digitalpost:xsd:fysisk::print"],
                                   service: .init(identifier: .DPI, endpointUrl: corner2URL, securityLevel: 3))
        record.orgnrPostkasse = Self.postboxOrganisation
        record.postkasseAdresse = Self.mailbox
        record.epostAdresse = "ola@example.no"
        record.mobilnummer = "99999999"
        record.kanVarsles = true
        record.spraak = "NO"
        return record
    }

    func transport(channels: [String] = ["no.difi.move.integrasjonspunkt"], avsenderidentifikatorer: [String] = [],
                   pollWithoutAvsenderidentifikator: Bool = true, memoryThreshold: Int64 = 1_000_000,
                   tokens: (any DPITokenSource)? = nil) throws -> DPITransport {
        DPITransport(client: Corner2Client(configuration: .init(baseURL: corner2URL, pageSize: 50), httpClient: .shared),
                     packer: DPIMessagePacker(identity: try sender.keystoreEntry(), temporaryDirectory: scratch.url,
                                              memoryThreshold: memoryThreshold),
                     tokens: try tokens ?? FixedDPIToken(token()), channels: DPIChannels(channels),
                     trust: CertificateTrust(roots: [authority.certificate]), avsenderidentifikatorer: avsenderidentifikatorer,
                     pollWithoutAvsenderidentifikator: pollWithoutAvsenderidentifikator)
    }

    /// Writes `data` to a scratch file and describes it as an upload.
    func file(_ name: String, _ data: Data, mimeType: String, title: String? = nil) throws -> DPIFile {
        let url = scratch.file("upload-\(UUID().uuidString)-\(name)")
        try data.write(to: url)
        return DPIFile(filename: name, mimeType: mimeType, title: title, source: .file(url))
    }
}

/// NextMove SBDs of the two DPI types, as a client creates them (after the create-time defaults).
enum DPIMessages {
    static func sbd(_ businessMessage: BusinessMessage, type: String, standard: String, receiver: String? = "01017012345",
                    sender: String = "0192:\(DPITestWorld.senderOrganisation)") throws -> StandardBusinessDocument {
        let messageId = UUID().uuidString.lowercased()
        var json: [String: Any] = [
            "standardBusinessDocumentHeader": [
                "headerVersion": "1.0",
                "sender": [["identifier": ["authority": "iso6523-actorid-upis", "value": sender]]],
                "documentIdentification": ["standard": standard, "typeVersion": "1.0", "instanceIdentifier": messageId,
                                           "type": type, "creationDateAndTime": "2026-01-05T10:00:00+01:00"],
                "businessScope": ["scope": [["type": "ConversationId", "instanceIdentifier": UUID().uuidString.lowercased(),
                                             "identifier": "urn:no:difi:profile:digitalpost:vedtak:ver1.0",
                                             "scopeInformation": [["expectedResponseDateTime": "2099-01-01T00:00:00+01:00"]]]]],
            ] as [String: Any],
        ]
        json[type] = [String: Any]()
        if let receiver {
            var header = json["standardBusinessDocumentHeader"] as! [String: Any]
            header["receiver"] = [["identifier": ["authority": "iso6523-actorid-upis", "value": receiver]]]
            json["standardBusinessDocumentHeader"] = header
        }
        var sbd = try StandardBusinessDocument.decode(from: try JSONSerialization.data(withJSONObject: json))
        sbd.businessMessage = businessMessage
        return sbd
    }

    static func digital(hoveddokument: String = "vedtak.pdf", metadataFiler: [String: String]? = nil,
                        avsenderId: String? = nil, sender: String = "0192:\(DPITestWorld.senderOrganisation)") throws -> StandardBusinessDocument {
        try sbd(.digital(DigitalMessage(
            sikkerhetsnivaa: 4, hoveddokument: hoveddokument, avsenderId: avsenderId, fakturaReferanse: "F-1",
            tittel: "Vedtak om bostøtte", spraak: "NO",
            digitalPostInfo: DigitalPostInfo(virkningsdato: LocalDate(year: 2026, month: 3, day: 1), aapningskvittering: true),
            varsler: DigitalVarsler(epostTekst: "Du har fått post", smsTekst: "Du har fått post"), metadataFiler: metadataFiler)),
            type: "digital", standard: "urn:no:difi:digitalpost:xsd:digital::digital", sender: sender)
    }

    static func print(receiver: String? = "01017012345", land: String? = nil) throws -> StandardBusinessDocument {
        try sbd(.print(PrintMessage(
            hoveddokument: "brev.pdf", avsenderId: nil, fakturaReferanse: nil,
            mottaker: PostAddress(navn: "Ola Nordmann", adresselinje1: "Fjellveien 1", postnummer: "3400", poststed: "FJELLET", land: land),
            utskriftsfarge: "FARGE", posttype: "A_PRIORITERT",
            retur: MailReturn(mottaker: PostAddress(navn: "Kommunen", adresselinje1: "Rådhuset", postnummer: "0150", poststed: "OSLO"),
                              returhaandtering: "MAKULERING_MED_MELDING"))),
            type: "print", standard: "urn:no:difi:digitalpost:xsd:fysisk::print", receiver: receiver)
    }
}
