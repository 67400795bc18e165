import Foundation

/// One file transfer in the sandbox broker, with its per-recipient state.
struct SandboxFileTransfer: Sendable {
    enum Status: String, Sendable {
        case initialized = "Initialized", uploadStarted = "UploadStarted", uploadProcessing = "UploadProcessing"
        case published = "Published", cancelled = "Cancelled", allConfirmedDownloaded = "AllConfirmedDownloaded"
        case purged = "Purged", failed = "Failed"
    }

    enum RecipientStatus: String, Sendable {
        case initialized = "Initialized", downloadStarted = "DownloadStarted", downloadConfirmed = "DownloadConfirmed"
    }

    struct Recipient: Sendable {
        var recipient: String
        var status: RecipientStatus
        var changed: Date
    }

    let id: UUID
    let resourceId: String
    let fileName: String
    let sendersFileTransferReference: String?
    let checksum: String?
    let sender: String
    let propertyList: [String: String]
    let created: Date
    var recipients: [Recipient]
    var status: Status
    var statusText: String
    var statusChanged: Date
    var size: Int64 = 0

    /// The overview JSON (`FileTransferOverviewExt`).
    func overview(expiration: TimeInterval) -> [String: Any] {
        var body: [String: Any] = [
            "fileTransferId": id.uuidString.lowercased(),
            "resourceId": resourceId,
            "fileName": fileName,
            "useVirusScan": false,
            "fileTransferSize": size,
            "fileTransferStatus": status.rawValue,
            "fileTransferStatusText": statusText,
            "fileTransferStatusChanged": Self.timestamp(statusChanged),
            "created": Self.timestamp(created),
            "expirationTime": Self.timestamp(created.addingTimeInterval(expiration)),
            "sender": sender,
            "recipients": recipients.map {
                ["recipient": $0.recipient, "currentRecipientFileTransferStatusCode": $0.status.rawValue,
                 "currentRecipientFileTransferStatusText": $0.status.rawValue,
                 "currentRecipientFileTransferStatusChanged": Self.timestamp($0.changed)]
            },
            "propertyList": propertyList,
        ]
        body["sendersFileTransferReference"] = sendersFileTransferReference ?? NSNull()
        body["checksum"] = checksum ?? NSNull()
        return body
    }

    static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
