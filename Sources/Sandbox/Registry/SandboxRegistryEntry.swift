import Foundation

/// One identifier the sandbox registry knows beyond the organisations with integration points: an organisation
/// reached only by DPV, DPF or DPE, or a person (`internals.md` §1.3).
public struct SandboxRegistryEntry: Sendable {
    /// An organisation number or a person number.
    public var identifier: String
    public var name: String
    /// `ORGL` for organisations, `PERSON` for persons.
    public var entityType: String
    /// What `/virksert/{identifier}` answers; nil answers 404.
    public var certificatePEM: String?
    /// The infoRecord's `postadresse` (`adresse`, `postnummer`, `poststed`, `land`).
    public var postadresse: [String: String]?
    public var records: [SandboxServiceRecord]

    public init(identifier: String, name: String, entityType: String = "ORGL", certificatePEM: String? = nil,
                postadresse: [String: String]? = nil, records: [SandboxServiceRecord]) {
        self.identifier = identifier
        self.name = name
        self.entityType = entityType
        self.certificatePEM = certificatePEM
        self.postadresse = postadresse
        self.records = records
    }
}

/// One service record: a channel, a process and its document types, and what the channel needs to know.
public struct SandboxServiceRecord: Sendable {
    /// `DPO`, `DPV`, `DPF`, `DPE`, `DPI`.
    public var service: String
    public var process: String
    public var documentTypes: [String]
    public var endpointURL: String
    public var resource: String?
    public var securityLevel: Int?
    public var serviceCode: String?
    public var serviceEditionCode: String?
    /// The receiver's certificate (the encryption target); for DPI the postbox provider's.
    public var pemCertificate: String?
    /// Further record fields (the DPI extras: `postkasseAdresse`, `orgnrPostkasse`, `postAddress`, …).
    public var extras: [String: JSONValue]

    public init(service: String, process: String, documentTypes: [String], endpointURL: String = "",
                resource: String? = nil, securityLevel: Int? = nil, serviceCode: String? = nil,
                serviceEditionCode: String? = nil, pemCertificate: String? = nil, extras: [String: JSONValue] = [:]) {
        self.service = service
        self.process = process
        self.documentTypes = documentTypes
        self.endpointURL = endpointURL
        self.resource = resource
        self.securityLevel = securityLevel
        self.serviceCode = serviceCode
        self.serviceEditionCode = serviceEditionCode
        self.pemCertificate = pemCertificate
        self.extras = extras
    }

    /// The record as the registry's JSON, for the entry with `identifier`.
    func json(identifier: String) -> [String: Any] {
        var service: [String: Any] = ["identifier": self.service, "endpointUrl": endpointURL]
        if let resource { service["resource"] = resource }
        if let securityLevel { service["securityLevel"] = securityLevel }
        if let serviceCode { service["serviceCode"] = serviceCode }
        if let serviceEditionCode { service["serviceEditionCode"] = serviceEditionCode }
        var record: [String: Any] = ["organisationNumber": identifier, "process": process,
                                     "documentTypes": documentTypes, "service": service]
        if let pemCertificate { record["pemCertificate"] = pemCertificate }
        for (key, value) in extras { record[key] = value.foundationValue }
        return record
    }
}
