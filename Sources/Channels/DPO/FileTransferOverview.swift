import Foundation

/// `FileTransferOverviewExt` of the Altinn broker: what `GET /filetransfer/{id}` answers.
public struct FileTransferOverview: Sendable, Equatable, Decodable {
    public struct Recipient: Sendable, Equatable, Decodable {
        public var recipient: String?
        public var currentRecipientFileTransferStatusCode: String?
        public var currentRecipientFileTransferStatusText: String?
        public var currentRecipientFileTransferStatusChanged: String?
    }

    public var fileTransferId: UUID
    public var resourceId: String?
    public var fileName: String?
    public var sendersFileTransferReference: String?
    public var checksum: String?
    public var fileTransferSize: Int64?
    /// Initialized, UploadStarted, UploadProcessing, Published, Cancelled, AllConfirmedDownloaded, Purged, Failed.
    public var fileTransferStatus: String?
    public var fileTransferStatusText: String?
    public var fileTransferStatusChanged: String?
    public var created: String?
    public var expirationTime: String?
    public var sender: String?
    public var recipients: [Recipient]?
    public var propertyList: [String: String]?

    /// `created` as a date (ISO 8601, with or without fractional seconds).
    public var createdDate: Date? {
        guard let created else { return nil }
        return (try? Date(created, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
            ?? (try? Date(created, strategy: Date.ISO8601FormatStyle()))
    }
}
