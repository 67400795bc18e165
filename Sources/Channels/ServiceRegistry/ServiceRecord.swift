import Foundation
import Model

/// An answer of `GET /identifier/{id}[/process/{process}]` or `/info/{id}`.
public struct ServiceRegistryEntry: Sendable, Equatable, Codable {
    public var infoRecord: InfoRecord
    public var serviceRecords: [ServiceRecord]

    public init(infoRecord: InfoRecord, serviceRecords: [ServiceRecord]) {
        self.infoRecord = infoRecord
        self.serviceRecords = serviceRecords
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        infoRecord = try container.decode(InfoRecord.self, forKey: .infoRecord)
        serviceRecords = try container.decodeIfPresent([ServiceRecord].self, forKey: .serviceRecords) ?? []
    }
}

/// Who the identifier is (`infoRecord`).
public struct InfoRecord: Sendable, Equatable, Codable {
    public struct EntityType: Sendable, Equatable, Codable {
        public var name: String?
        public var acronym: String?
    }

    public struct PostalAddress: Sendable, Equatable, Codable {
        public var adresse: String?
        public var postnummer: String?
        public var poststed: String?
        public var land: String?

        public init(adresse: String? = nil, postnummer: String? = nil, poststed: String? = nil, land: String? = nil) {
            self.adresse = adresse
            self.postnummer = postnummer
            self.poststed = poststed
            self.land = land
        }
    }

    public var identifier: String
    public var organizationName: String?
    public var organizationNumber: String?
    public var entityType: EntityType?
    public var postadresse: PostalAddress?

    public init(identifier: String, organizationName: String? = nil, organizationNumber: String? = nil,
                entityType: EntityType? = nil, postadresse: PostalAddress? = nil) {
        self.identifier = identifier
        self.organizationName = organizationName
        self.organizationNumber = organizationNumber
        self.entityType = entityType
        self.postadresse = postadresse
    }
}

/// One way to reach the identifier: a process, its document types and the channel (`service`).
public struct ServiceRecord: Sendable, Equatable, Codable {
    public struct Service: Sendable, Equatable, Codable {
        /// DPO, DPV, DPI, DPF, DPE, DPH; anything else reads as UNKNOWN.
        public var identifier: ServiceIdentifier
        public var endpointUrl: String?
        public var serviceCode: String?
        public var serviceEditionCode: String?
        public var securityLevel: Int?
        /// The Altinn 3 resource id (DPV uses it).
        public var resource: String?

        public init(identifier: ServiceIdentifier, endpointUrl: String? = nil, serviceCode: String? = nil,
                    serviceEditionCode: String? = nil, securityLevel: Int? = nil, resource: String? = nil) {
            self.identifier = identifier
            self.endpointUrl = endpointUrl
            self.serviceCode = serviceCode
            self.serviceEditionCode = serviceEditionCode
            self.securityLevel = securityLevel
            self.resource = resource
        }
    }

    public var organisationNumber: String?
    /// The receiver's virksomhetssertifikat (the encryption target), always with PEM header and footer.
    /// For DPI: the postbox provider's certificate.
    public var pemCertificate: String?
    public var process: String
    public var documentTypes: [String]
    public var service: Service

    // DPI (a citizen): the contact register's answer, as the registry passes it on.

    /// The postbox provider's organisation number.
    public var orgnrPostkasse: String?
    /// The citizen's mailbox address at the provider, e.g. `ola.nordmann#9YDT`.
    public var postkasseAdresse: String?
    public var epostAdresse: String?
    public var mobilnummer: String?
    /// Whether the contact details are current enough to notify the citizen.
    public var kanVarsles: Bool?
    /// Whether the citizen gets post on paper (no digital mailbox, or reserved against digital post).
    public var fysiskPost: Bool?
    /// The citizen's preferred language, e.g. `NO`.
    public var spraak: String?
    /// The citizen's postal address (the folkeregister's), for print.
    public var postAddress: RegistryPostAddress?
    /// Where undeliverable print goes back to (the sender's address).
    public var returnAddress: RegistryPostAddress?

    public init(organisationNumber: String?, pemCertificate: String?, process: String, documentTypes: [String], service: Service) {
        self.organisationNumber = organisationNumber
        self.pemCertificate = pemCertificate.map(Self.normalisedPEM)
        self.process = process
        self.documentTypes = documentTypes
        self.service = service
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        organisationNumber = try container.decodeIfPresent(String.self, forKey: .organisationNumber)
        pemCertificate = try container.decodeIfPresent(String.self, forKey: .pemCertificate).map(Self.normalisedPEM)
        process = try container.decodeIfPresent(String.self, forKey: .process) ?? ""
        documentTypes = try container.decodeIfPresent([String].self, forKey: .documentTypes) ?? []
        service = try container.decode(Service.self, forKey: .service)
        orgnrPostkasse = try container.decodeIfPresent(String.self, forKey: .orgnrPostkasse)
        postkasseAdresse = try container.decodeIfPresent(String.self, forKey: .postkasseAdresse)
        epostAdresse = try container.decodeIfPresent(String.self, forKey: .epostAdresse)
        mobilnummer = try container.decodeIfPresent(String.self, forKey: .mobilnummer)
        kanVarsles = try container.decodeIfPresent(Bool.self, forKey: .kanVarsles)
        fysiskPost = try container.decodeIfPresent(Bool.self, forKey: .fysiskPost)
        spraak = try container.decodeIfPresent(String.self, forKey: .spraak)
        postAddress = try container.decodeIfPresent(RegistryPostAddress.self, forKey: .postAddress)
        returnAddress = try container.decodeIfPresent(RegistryPostAddress.self, forKey: .returnAddress)
    }

    /// The certificate as DER, when `pemCertificate` holds one.
    /// Read from the text's bytes (every DPO send asks for it): the lines between the header and the footer,
    /// without carriage returns, spaces and tabs.
    public var certificateDER: Data? {
        guard let pem = pemCertificate else { return nil }
        var base64: [UInt8] = []
        base64.reserveCapacity(pem.utf8.count)
        for line in pem.utf8.split(separator: UInt8(ascii: "\n")) where !line.starts(with: "-----".utf8) {
            for byte in line where byte != UInt8(ascii: "\r") && byte != UInt8(ascii: " ") && byte != UInt8(ascii: "\t") {
                base64.append(byte)
            }
        }
        return Data(base64Encoded: Data(base64))
    }

    /// Adds the PEM header and footer when the registry left them out, as the upstream does.
    static func normalisedPEM(_ text: String) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, !trimmed.contains("-----BEGIN CERTIFICATE-----") else { return text }
        return "-----BEGIN CERTIFICATE-----\n\(trimmed)\n-----END CERTIFICATE-----\n"
    }
}
