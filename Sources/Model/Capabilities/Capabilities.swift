/// What a receiver can receive (`GET /api/capabilities/{receiverIdentifier}`, `nextmove-api.md` §2.1).
public struct Capabilities: Sendable, Equatable, Encodable {
    public var capabilities: [Capability]

    public init(capabilities: [Capability]) {
        self.capabilities = capabilities
    }
}

/// One process the receiver takes, over which channel, with which document types.
public struct Capability: Sendable, Equatable, Encodable {
    public struct DocumentType: Sendable, Equatable, Encodable {
        /// The business message name when the standard ends in a known one (`::arkivmelding`), else omitted.
        public var type: String?
        public var standard: String

        public init(standard: String) {
            self.standard = standard
            let suffix = standard.components(separatedBy: "::").last ?? ""
            self.type = MessageType(rawValue: suffix)?.rawValue
        }
    }

    public var process: String
    public var serviceIdentifier: ServiceIdentifier
    public var documentTypes: [DocumentType]
    /// DPI only: the citizen's postal address from the contact register, for print.
    public var postAddress: RegistryPostAddress?
    /// DPI only: where undeliverable print goes back to.
    public var returnAddress: RegistryPostAddress?
    /// DPI only: the citizen's digital mailbox. Clients choose between `digital` and `print` by it.
    public var digitalPostAddress: DigitalPostAddress?

    public init(process: String, serviceIdentifier: ServiceIdentifier, documentTypes: [DocumentType],
                postAddress: RegistryPostAddress? = nil, returnAddress: RegistryPostAddress? = nil,
                digitalPostAddress: DigitalPostAddress? = nil) {
        self.process = process
        self.serviceIdentifier = serviceIdentifier
        self.documentTypes = documentTypes
        self.postAddress = postAddress
        self.returnAddress = returnAddress
        self.digitalPostAddress = digitalPostAddress
    }

    enum CodingKeys: String, CodingKey {
        case process, serviceIdentifier, postAddress, returnAddress, documentTypes, digitalPostAddress
    }

    /// The upstream's field order; the DPI fields only when set.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(process, forKey: .process)
        try c.encode(serviceIdentifier, forKey: .serviceIdentifier)
        try c.encodeIfPresent(postAddress, forKey: .postAddress)
        try c.encodeIfPresent(returnAddress, forKey: .returnAddress)
        try c.encode(documentTypes, forKey: .documentTypes)
        try c.encodeIfPresent(digitalPostAddress, forKey: .digitalPostAddress)
    }
}

extension Capability.DocumentType {
    enum CodingKeys: String, CodingKey { case type, standard }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(type, forKey: .type)
        try c.encode(standard, forKey: .standard)
    }
}
