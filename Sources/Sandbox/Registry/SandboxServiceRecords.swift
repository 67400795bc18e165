import Foundation

/// The processes and document types the sandbox registry offers every organisation over DPO.
public enum SandboxServiceRecords {
    public struct ProcessOffer: Sendable {
        public let process: String
        public let documentTypes: [String]
    }

    static let statusTypes = ["urn:no:difi:eformidling:xsd::status", "urn:no:difi:arkivmelding:xsd::status"]

    /// The arkivmelding default process, its response process, and avtalt with its response process.
    public static let defaultOffers: [ProcessOffer] = [
        ProcessOffer(process: "urn:no:difi:profile:arkivmelding:administrasjon:ver1.0",
                     documentTypes: ["urn:no:difi:arkivmelding:xsd::arkivmelding"]),
        ProcessOffer(process: "urn:no:difi:profile:arkivmelding:response:ver1.0",
                     documentTypes: ["urn:no:difi:arkivmelding:xsd::arkivmelding_kvittering"] + statusTypes
                        + ["urn:no:difi:arkivmelding:xsd::feil"]),
        ProcessOffer(process: "urn:no:difi:profile:avtalt:avtalt:ver1.0",
                     documentTypes: ["urn:no:difi:avtalt:xsd::avtalt"]),
        ProcessOffer(process: "urn:no:difi:profile:avtalt:response:ver1.0",
                     documentTypes: statusTypes),
    ]
}
