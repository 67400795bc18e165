import Foundation
import Model

/// Builds the correspondence for an `arkivmelding` or `digital_dpv` message exactly as the upstream does
/// (`internals.md` §2.2; the upstream's `CorrespondenceFactory`, `NotificationFactory`, `DpvHelper`).
public struct CorrespondenceRequestBuilder: Sendable {
    /// The process under which a `digital_dpv` message ignores the recipient's reservation.
    public static let infoProcess = "urn:no:difi:profile:digitalpost:info:ver1.0"
    /// What every attachment carries as its `sendersReference` (the upstream's constant).
    public static let attachmentReference = "AttachmentReference_as123452"

    public let settings: DPVSettings

    public init(settings: DPVSettings) {
        self.settings = settings
    }

    /// One file to attach: its name and title.
    public struct AttachmentFile: Sendable, Equatable {
        public var filename: String
        public var title: String?

        public init(filename: String, title: String?) {
            self.filename = filename
            self.title = title
        }
    }

    /// - Parameters:
    ///   - arkivmelding: the parsed `arkivmelding.xml` (required for an arkivmelding message).
    ///   - senderName: the sender's `organizationName` in the service registry.
    ///   - resource: `service.resource` of the receiver's DPV record.
    public func request(for sbd: StandardBusinessDocument, attachments: [AttachmentFile], arkivmelding: ArkivmeldingSummary?,
                        senderName: String, resource: String?, now: Date) throws(CorrespondenceError) -> CorrespondenceRequest {
        guard let messageId = sbd.messageId, UUID(uuidString: messageId) != nil else {
            throw .invalidMessage("The messageId must be a UUID: it is Altinn's idempotency key.")
        }
        guard let receiver = sbd.receiverIdentifier else { throw .invalidMessage("The message has no receiver.") }
        guard let resource, !resource.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw .invalidMessage("Service Registry returned empty Altinn resource id. Resource id cannot be null or blank, contact Digdir for support.")
        }
        let texts = try content(of: sbd, arkivmelding: arkivmelding)
        let dpv = dpvSettings(of: sbd)
        let confidential = resource == settings.sensitiveResource
        let content = CorrespondenceRequest.Content(
            language: "nb", messageTitle: texts.title, messageSummary: texts.summary, messageBody: texts.body,
            attachments: attachments.map {
                .init(fileName: $0.filename, displayName: $0.title, isEncrypted: false,
                      sendersReference: Self.attachmentReference)
            })
        let correspondence = CorrespondenceRequest.Correspondence(
            resourceId: resource, sender: sbd.sender?.fullIdentifier ?? sbd.senderValue ?? "",
            sendersReference: messageId, messageSender: senderName, content: content, requestedPublishTime: now,
            dueDateTime: dueDate(dpv, now: now), propertyList: [("senderOrgNumber", sbd.senderIdentifier ?? "")],
            notification: notification(dpv, confidential: confidential, senderName: senderName, now: now),
            ignoreReservation: sbd.messageType == .digitalDpv && sbd.processIdentifier == Self.infoProcess,
            isConfirmationNeeded: false, isConfidential: confidential)
        return CorrespondenceRequest(correspondence: correspondence, recipients: [Self.recipient(receiver)],
                                     idempotentKey: messageId)
    }

    /// An 11-digit identifier is a person; anything else an organisation.
    public static func recipient(_ identifier: String) -> String {
        identifier.count == 11 ? "urn:altinn:person:identifier-no:\(identifier)"
            : "urn:altinn:organization:identifier-no:\(identifier)"
    }

    private func content(of sbd: StandardBusinessDocument, arkivmelding: ArkivmeldingSummary?) throws(CorrespondenceError)
        -> (title: String?, summary: String?, body: String?) {
        switch sbd.businessMessage {
        case .arkivmelding:
            guard let arkivmelding else {
                throw .invalidMessage("arkivmelding.xml not found for message \(sbd.messageId ?? "")")
            }
            let title = arkivmelding.offentligTittel ?? arkivmelding.journalpostTittel
            // The journalpost's tittel is the body. arkivmelding.xsd requires it; when a document lacks it anyway,
            // the public title stands in, rather than an empty body Altinn refuses (1021) as upstream would send.
            return (title, title, arkivmelding.journalpostTittel ?? title)
        case .digitalDpv(let message):
            let body = message.innhold.flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 }
            return (message.tittel, message.sammendrag, body ?? "Ingen innhold")
        default:
            throw .invalidMessage("DPV carries arkivmelding and digital_dpv messages, not \(sbd.messageType.rawValue).")
        }
    }

    private func dpvSettings(of sbd: StandardBusinessDocument) -> DpvSettings? {
        switch sbd.businessMessage {
        case .arkivmelding(let message): message.dpv
        case .digitalDpv(let message): message.dpv
        default: nil
        }
    }

    /// `dagerTilSvarfrist` days from now when the message gives a positive number (none for 0 or less); else
    /// `daysToReply` days when `enableDueDate`.
    private func dueDate(_ dpv: DpvSettings?, now: Date) -> Date? {
        if let days = dpv?.dagerTilSvarfrist {
            return days > 0 ? now.addingTimeInterval(TimeInterval(days) * 86_400) : nil
        }
        return settings.enableDueDate ? now.addingTimeInterval(TimeInterval(settings.daysToReply) * 86_400) : nil
    }

    private func notification(_ dpv: DpvSettings?, confidential: Bool, senderName: String,
                              now: Date) -> CorrespondenceRequest.Notification {
        let chosen = confidential ? dpv?.taushetsbelagtVarselTekst : dpv?.varselTekst
        let template = (chosen?.isEmpty == false ? chosen : nil)
            ?? (confidential ? settings.sensitiveNotificationText : settings.notificationText)
        let text = template.replacingOccurrences(of: "$reporterName$", with: senderName)
        let channel = notificationChannel(dpv)
        // A reminder unless the message asks for none (`VarselDPVUtenRevarsel`).
        let reminder = dpv?.varselType == nil || dpv?.varselType == "VarselDPVMedRevarsel"
        return CorrespondenceRequest.Notification(
            notificationTemplate: "CustomMessage", emailSubject: settings.emailSubject, emailBody: text,
            emailContentType: "Plain", smsBody: text, sendReminder: reminder,
            reminderEmailSubject: reminder ? settings.emailSubject : nil, reminderEmailBody: reminder ? text : nil,
            reminderEmailContentType: reminder ? "Plain" : nil, reminderSmsBody: reminder ? text : nil,
            notificationChannel: channel, reminderNotificationChannel: reminder ? channel : nil,
            requestedSendTime: now.addingTimeInterval(5 * 60))
    }

    private func notificationChannel(_ dpv: DpvSettings?) -> String {
        switch dpv?.varselTransportType {
        case "Epost": return "Email"
        case "SMS": return "Sms"
        case "EpostOgSMS": return "EmailAndSms"
        default:
            switch (settings.notifyEmail, settings.notifySms) {
            case (true, false): return "Email"
            case (false, true): return "Sms"
            default: return "EmailAndSms"
            }
        }
    }
}
