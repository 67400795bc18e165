import Foundation
import NIOCore

/// What the broker client needs (`difi.move.dpo.*`).
public struct AltinnBrokerConfiguration: Sendable {
    /// `difi.move.dpo.brokerserviceUrl`, e.g. `https://platform.tt02.altinn.no/broker/api/v1`.
    public var brokerServiceURL: String
    /// `difi.move.dpo.resource`.
    public var resourceID: String
    /// Our organisation number (the sender, and the recipient we poll for).
    public var organisationNumber: String
    /// Deadline for small calls (initialize, list, details, confirm).
    public var requestTimeout: TimeAmount
    /// Deadline for uploads and downloads, whose bodies can be large.
    public var transferTimeout: TimeAmount

    public init(brokerServiceURL: String, resourceID: String = "eformidling-dpo-meldingsutveksling", organisationNumber: String,
                requestTimeout: TimeAmount = .seconds(30), transferTimeout: TimeAmount = .minutes(30)) {
        self.brokerServiceURL = brokerServiceURL
        self.resourceID = resourceID
        self.organisationNumber = organisationNumber
        self.requestTimeout = requestTimeout
        self.transferTimeout = transferTimeout
    }

    /// `0192:<orgnr>`, the broker's party form of an organisation number.
    public static func party(_ organisationNumber: String) -> String {
        organisationNumber.hasPrefix("0192:") ? organisationNumber : "0192:\(organisationNumber)"
    }
}
