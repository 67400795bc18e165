import Foundation

/// One correspondence the sandbox's Altinn Correspondence holds.
public struct SandboxCorrespondence: Sendable {
    public struct Attachment: Sendable {
        public var filename: String
        public var displayName: String?
        public var contentType: String?
        public var data: Data
    }

    public var id: String
    public var recipient: String
    public var resourceId: String
    public var sender: String
    public var sendersReference: String
    public var idempotentKey: String
    /// Every form field as uploaded (`correspondence.content.messageTitle` → …).
    public var fields: [String: String]
    public var attachments: [Attachment]
    public var created: Date
    public var published: Date?
    public var read: Date?
    /// `Published`, `Read`, `PurgedByRecipient`, …
    public var status: String
    public var statusChanged: Date

    public var messageTitle: String? { fields["correspondence.content.messageTitle"] }

    /// `CorrespondenceOverviewExt` as JSON.
    func overviewJSON() -> [String: Any] {
        var json: [String: Any] = [
            "correspondenceId": id, "recipient": recipient, "resourceId": resourceId, "sender": sender,
            "sendersReference": sendersReference, "created": Self.timestamp(created), "status": status,
            "statusText": status, "statusChanged": Self.timestamp(statusChanged),
        ]
        if let published { json["published"] = Self.timestamp(published) }
        if let read { json["read"] = Self.timestamp(read) }
        if let title = messageTitle {
            json["content"] = ["language": fields["correspondence.content.language"] ?? "nb", "messageTitle": title]
        }
        return json
    }

    /// Altinn's timestamps carry seven fraction digits and a `+00:00` offset.
    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date).replacingOccurrences(of: "Z", with: "0000+00:00")
    }
}
