import Foundation
import Packaging

/// Everything one DPI send needs, before packing: the business message (without fingerprint and token), the SDP
/// manifest, the documents in container order, and the certificate the package is encrypted to.
public struct DPIShipment: Sendable {
    public var forretningsmelding: Forretningsmelding
    public var manifest: SDPManifest
    /// Primary document, attachments, then metadata files.
    public var documents: [AsicDocument]
    public var recipientCertificateDER: Data

    public init(forretningsmelding: Forretningsmelding, manifest: SDPManifest, documents: [AsicDocument],
                recipientCertificateDER: Data) {
        self.forretningsmelding = forretningsmelding
        self.manifest = manifest
        self.documents = documents
        self.recipientCertificateDER = recipientCertificateDER
    }

    /// The organisation the letter is sent for (`avsender.virksomhetsidentifikator`): the Maskinporten token's
    /// `consumer_org`. The sender itself, or the organisation it sends on behalf of.
    public var consumerOrganisation: String {
        forretningsmelding.body.avsender.virksomhetsidentifikator.organisationNumber
    }
}

/// One file of an outgoing DPI message.
public struct DPIFile: Sendable {
    public var filename: String
    public var mimeType: String
    /// The title given at upload; shown in the mailbox.
    public var title: String?
    public var source: AsicDocument.Source

    public init(filename: String, mimeType: String, title: String?, source: AsicDocument.Source) {
        self.filename = filename
        self.mimeType = mimeType
        self.title = title
        self.source = source
    }
}
