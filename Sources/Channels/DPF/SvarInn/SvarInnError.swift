import Foundation

/// A failed SvarInn call.
public struct SvarInnError: Error, Sendable, Equatable, CustomStringConvertible {
    public var operation: String
    public var status: Int?
    public var detail: String

    public init(operation: String, status: Int?, detail: String) {
        self.operation = operation
        self.status = status
        self.detail = detail
    }

    public var description: String {
        let hint = status == 401 ? " Check difi.move.fiks.inn.username/password (the mottakersystem's service password)." : ""
        return "SvarInn \(operation) failed (\(status.map { "HTTP \($0)" } ?? "no answer")): \(detail)\(hint)"
    }
}
