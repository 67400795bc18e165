/// The transport channel ("service identifier") the service registry chose for a message.
public enum ServiceIdentifier: String, Codable, CaseIterable, Sendable {
    case DPO, DPV, DPI, DPF, DPE, DPH, UNKNOWN

    /// Decodes unknown names as `UNKNOWN`, as the upstream's Jackson configuration does.
    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        self = ServiceIdentifier(rawValue: raw) ?? .UNKNOWN
    }
}
