import Foundation
import Model

/// Altinn 3 Correspondence's `InitializeCorrespondencesExt`: what DPV posts to `/correspondence/upload`
/// (`internals.md` §2.2). The upload is a multipart form whose fields are this object flattened to dot notation
/// (``formFields``), with the attachments as file parts named `attachments`.
public struct CorrespondenceRequest: Sendable {
    public var correspondence: Correspondence
    /// `urn:altinn:organization:identifier-no:<orgnr>` or `urn:altinn:person:identifier-no:<11 digits>`.
    public var recipients: [String]
    /// The messageId: Altinn answers 409 to a second upload with the same key.
    public var idempotentKey: String

    public struct Correspondence: Sendable {
        public var resourceId: String
        /// `0192:<orgnr>`.
        public var sender: String
        /// The messageId; lets the correspondence be found again after a 409.
        public var sendersReference: String
        /// The sender's name from the service registry.
        public var messageSender: String?
        public var content: Content
        public var requestedPublishTime: Date
        public var dueDateTime: Date?
        public var propertyList: [(String, String)]
        public var notification: Notification
        public var ignoreReservation: Bool
        public var isConfirmationNeeded: Bool
        public var isConfidential: Bool
    }

    public struct Content: Sendable, Equatable {
        public var language: String
        public var messageTitle: String?
        public var messageSummary: String?
        public var messageBody: String?
        public var attachments: [Attachment]
    }

    public struct Attachment: Sendable, Equatable {
        public var fileName: String
        /// The file's title.
        public var displayName: String?
        public var isEncrypted: Bool
        public var sendersReference: String
    }

    public struct Notification: Sendable, Equatable {
        /// `CustomMessage`.
        public var notificationTemplate: String
        public var emailSubject: String
        public var emailBody: String
        public var emailContentType: String
        public var smsBody: String
        public var sendReminder: Bool
        public var reminderEmailSubject: String?
        public var reminderEmailBody: String?
        public var reminderEmailContentType: String?
        public var reminderSmsBody: String?
        /// `Email`, `Sms` or `EmailAndSms`.
        public var notificationChannel: String
        public var reminderNotificationChannel: String?
        public var requestedSendTime: Date
    }

    /// The request as the dot-notation form fields Altinn binds (`correspondence.content.messageTitle`,
    /// `recipients[0]`, …), in the order of the upstream's model; absent values are left out, as upstream.
    public func formFields() -> [(String, String)] {
        var fields: [(String, String)] = []
        func add(_ name: String, _ value: String?) {
            if let value { fields.append((name, value)) }
        }
        let c = correspondence
        add("correspondence.resourceId", c.resourceId)
        add("correspondence.sender", c.sender)
        add("correspondence.sendersReference", c.sendersReference)
        add("correspondence.messageSender", c.messageSender)
        add("correspondence.content.language", c.content.language)
        add("correspondence.content.messageTitle", c.content.messageTitle)
        add("correspondence.content.messageSummary", c.content.messageSummary)
        add("correspondence.content.messageBody", c.content.messageBody)
        for (index, attachment) in c.content.attachments.enumerated() {
            let prefix = "correspondence.content.attachments[\(index)]"
            add("\(prefix).fileName", attachment.fileName)
            add("\(prefix).displayName", attachment.displayName)
            add("\(prefix).isEncrypted", String(attachment.isEncrypted))
            add("\(prefix).sendersReference", attachment.sendersReference)
        }
        // Every time with the offset of the publish time, as the upstream's OffsetDateTime.now(clock).plusDays(n).
        let offset = OsloTime.offsetSeconds(at: c.requestedPublishTime)
        let timestamp = { (date: Date) in Self.timestamp(date, offsetSeconds: offset) }
        add("correspondence.requestedPublishTime", timestamp(c.requestedPublishTime))
        add("correspondence.dueDateTime", c.dueDateTime.map(timestamp))
        for (key, value) in c.propertyList { add("correspondence.propertyList.\(key)", value) }
        let n = c.notification
        add("correspondence.notification.notificationTemplate", n.notificationTemplate)
        add("correspondence.notification.emailSubject", n.emailSubject)
        add("correspondence.notification.emailBody", n.emailBody)
        add("correspondence.notification.emailContentType", n.emailContentType)
        add("correspondence.notification.smsBody", n.smsBody)
        add("correspondence.notification.sendReminder", String(n.sendReminder))
        add("correspondence.notification.reminderEmailSubject", n.reminderEmailSubject)
        add("correspondence.notification.reminderEmailBody", n.reminderEmailBody)
        add("correspondence.notification.reminderEmailContentType", n.reminderEmailContentType)
        add("correspondence.notification.reminderSmsBody", n.reminderSmsBody)
        add("correspondence.notification.notificationChannel", n.notificationChannel)
        add("correspondence.notification.reminderNotificationChannel", n.reminderNotificationChannel)
        add("correspondence.notification.requestedSendTime", timestamp(n.requestedSendTime))
        add("correspondence.ignoreReservation", String(c.ignoreReservation))
        add("correspondence.isConfirmationNeeded", String(c.isConfirmationNeeded))
        add("correspondence.isConfidential", String(c.isConfidential))
        for (index, recipient) in recipients.enumerated() { add("recipients[\(index)]", recipient) }
        add("idempotentKey", idempotentKey)
        return fields
    }

    /// An instant as Altinn takes it: ISO 8601 with a fixed offset, whole seconds (`2019-03-25T12:38:23+01:00`).
    static func timestamp(_ date: Date, offsetSeconds: Int) -> String {
        let whole = Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(secondsFromGMT: offsetSeconds)
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: whole)
    }
}
