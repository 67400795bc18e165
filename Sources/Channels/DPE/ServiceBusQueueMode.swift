/// `difi.move.nextmove.serviceBus.mode`: which of our queues we read, and so which eInnsyn role we play.
///
/// An agency reads `innsyn` (innsynskrav from eInnsyn, the default); eInnsyn itself reads `data` (publisering and
/// the agencies' receipts) and `meeting` (møte publications).
public enum ServiceBusQueueMode: String, Sendable, Equatable, CaseIterable {
    case innsyn
    case data
    case meeting

    /// Reads a configured mode the way the upstream validates it (case-insensitive).
    public init?(configured text: String) {
        self.init(rawValue: text.lowercased())
    }
}
