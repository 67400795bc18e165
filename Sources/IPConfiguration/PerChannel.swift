/// One value per channel, addressable by service identifier (`limits["DPO"]`).
public struct PerChannel<Value: Sendable & Equatable>: Sendable, Equatable {
    public var dpo: Value
    public var dpv: Value
    public var dpi: Value
    public var dpf: Value
    public var dpe: Value
    public var dph: Value

    public init(dpo: Value, dpv: Value, dpi: Value, dpf: Value, dpe: Value, dph: Value) {
        self.dpo = dpo
        self.dpv = dpv
        self.dpi = dpi
        self.dpf = dpf
        self.dpe = dpe
        self.dph = dph
    }

    /// The value for a service identifier ("DPO", "dpv", …); `nil` for an unknown one.
    public subscript(serviceIdentifier: String) -> Value? {
        switch serviceIdentifier.uppercased() {
        case "DPO": dpo
        case "DPV": dpv
        case "DPI": dpi
        case "DPF": dpf
        case "DPE": dpe
        case "DPH": dph
        default: nil
        }
    }
}
