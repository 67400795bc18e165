import Foundation

/// The eInnsyn processes and document types (`reference/docs.md` §1.3, `internals.md` §6.3), and the DPE service
/// records the sandbox registry gives the eInnsyn organisation and the agencies.
public enum SandboxEInnsynRecords {
    public static let journalpostProcess = "urn:no:difi:profile:einnsyn:journalpost:ver1.0"
    public static let innsynskravProcess = "urn:no:difi:profile:einnsyn:innsynskrav:ver1.0"
    public static let responseProcess = "urn:no:difi:profile:einnsyn:response:ver1.0"
    public static let publiseringType = "urn:no:difi:einnsyn:xsd::publisering"
    public static let innsynskravType = "urn:no:difi:einnsyn:xsd::innsynskrav"
    public static let kvitteringType = "urn:no:difi:einnsyn:xsd::einnsyn_kvittering"
    public static let statusType = "urn:no:difi:eformidling:xsd::status"

    /// eInnsyn reads its `data` queue: journal posts to publish, and the agencies' receipts.
    static func einnsyn(certificatePEM: String) -> [SandboxServiceRecord] {
        [
            SandboxServiceRecord(service: "DPE", process: journalpostProcess, documentTypes: [publiseringType],
                                 endpointURL: "data", pemCertificate: certificatePEM),
            SandboxServiceRecord(service: "DPE", process: responseProcess, documentTypes: [kvitteringType, statusType],
                                 endpointURL: "data", pemCertificate: certificatePEM),
        ]
    }

    /// An agency reads its `innsyn` queue: innsynskrav, and eInnsyn's receipts on what it published.
    static func agency(certificatePEM: String) -> [SandboxServiceRecord] {
        [
            SandboxServiceRecord(service: "DPE", process: innsynskravProcess, documentTypes: [innsynskravType],
                                 endpointURL: "innsyn", pemCertificate: certificatePEM),
            SandboxServiceRecord(service: "DPE", process: responseProcess, documentTypes: [kvitteringType, statusType],
                                 endpointURL: "innsyn", pemCertificate: certificatePEM),
        ]
    }
}
