import Foundation

/// The Service Bus queue names of DPE: `nextbestqueue` + organisation number + suffix (`internals.md` §2.5).
///
/// - our own in-queue is `nextbestqueue<own orgnr><mode>`;
/// - a business message goes to `nextbestqueue<receiver><service.endpointUrl>` of the receiver's service record
///   (`innsyn` or `data`);
/// - a `status` message goes to the `receiptQueue` suffix when set, else `data` when our mode is `innsyn`, and
///   `innsyn` otherwise;
/// - an `einnsyn_kvittering` goes to the `receiptQueue` suffix when set, else `data` for a receipt on an
///   innsynskrav, and `innsyn` otherwise.
public struct DPEQueueNaming: Sendable, Equatable {
    public static let prefix = "nextbestqueue"

    /// Our organisation number (9 digits).
    public var ownOrganisationNumber: String
    public var mode: ServiceBusQueueMode
    /// `difi.move.nextmove.serviceBus.receiptQueue`: the suffix receipts and statuses go to, when set.
    public var receiptQueue: String?

    /// What is being sent, as far as the queue name depends on it.
    public enum Outgoing: Sendable, Equatable {
        /// A `status` message (MOTTATT, LEVERT).
        case status
        /// An `einnsyn_kvittering`, with its `referanseType` (`innsynskrav` | `publisering`).
        case einnsynKvittering(referanseType: String?)
        /// Any other business message, with the `service.endpointUrl` of the receiver's service record.
        case businessMessage(endpointURL: String?)
    }

    public enum NamingError: Error, Sendable, Equatable, CustomStringConvertible {
        case noEndpoint(receiver: String)
        case badReceiver(String)

        public var description: String {
            switch self {
            case .noEndpoint(let receiver):
                "The service registry's DPE record for \(receiver) has no endpointUrl (the queue suffix, e.g. innsyn or data), so the message has no queue to go to."
            case .badReceiver(let receiver):
                "'\(receiver)' is not an organisation number, so it names no DPE queue."
            }
        }
    }

    public init(ownOrganisationNumber: String, mode: ServiceBusQueueMode = .innsyn, receiptQueue: String? = nil) {
        self.ownOrganisationNumber = Self.organisationNumber(ownOrganisationNumber)
        self.mode = mode
        let trimmed = receiptQueue?.trimmingCharacters(in: .whitespaces)
        self.receiptQueue = trimmed?.isEmpty == false ? trimmed : nil
    }

    /// The queue we poll.
    public var ownQueue: String { Self.prefix + ownOrganisationNumber + mode.rawValue }

    /// The queue a message to `receiver` (an organisation number, `0192:` prefix allowed) goes to.
    public func queue(for outgoing: Outgoing, receiver: String) throws -> String {
        let number = Self.organisationNumber(receiver)
        guard !number.isEmpty, number.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            throw NamingError.badReceiver(receiver)
        }
        return Self.prefix + number + (try suffix(for: outgoing, receiver: receiver))
    }

    func suffix(for outgoing: Outgoing, receiver: String) throws -> String {
        switch outgoing {
        case .status:
            if let receiptQueue { return receiptQueue }
            return mode == .innsyn ? ServiceBusQueueMode.data.rawValue : ServiceBusQueueMode.innsyn.rawValue
        case .einnsynKvittering(let referanseType):
            if let receiptQueue { return receiptQueue }
            return referanseType?.lowercased() == "innsynskrav" ? ServiceBusQueueMode.data.rawValue : ServiceBusQueueMode.innsyn.rawValue
        case .businessMessage(let endpointURL):
            guard let endpointURL = endpointURL?.trimmingCharacters(in: .whitespaces), !endpointURL.isEmpty else {
                throw NamingError.noEndpoint(receiver: receiver)
            }
            return endpointURL
        }
    }

    /// `0192:910077473` (and `0192:910077473:<part>`) → `910077473`; a bare number stays.
    static func organisationNumber(_ identifier: String) -> String {
        let parts = identifier.trimmingCharacters(in: .whitespaces).split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count > 1 else { return parts.first.map(String.init) ?? "" }
        return String(parts[1])
    }
}
