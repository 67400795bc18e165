/// `avtalt` (DPO, agreed message exchange): an identifier and free JSON content.
public struct AvtaltMessage: Sendable, Hashable, Codable {
    @LenientString public var identifier: String?
    public var content: JSONValue?
    @LenientString public var hoveddokument: String?

    public init(identifier: String? = nil, content: JSONValue? = nil, hoveddokument: String? = nil) {
        self.identifier = identifier
        self.content = content
        self.hoveddokument = hoveddokument
    }

    enum CodingKeys: String, CodingKey { case identifier, content, hoveddokument }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        identifier = try c.decodeLenientString(forKey: .identifier)
        // A JSON null content is absent (Jackson maps it to a Java null, omitted on output).
        if c.contains(.content), try !c.decodeNil(forKey: .content) {
            content = try c.decode(JSONValue.self, forKey: .content)
        }
        hoveddokument = try c.decodeLenientString(forKey: .hoveddokument)
    }
}
