import Foundation

/// The `difi.move.dpv.*` settings that shape a correspondence (`internals.md` §6.7).
public struct DPVSettings: Sendable, Equatable {
    public var notifyEmail: Bool
    public var notifySms: Bool
    /// `notification-text`; `$reporterName$` becomes the sender's name, `$correspondenceRecipientName$` is left
    /// for Altinn.
    public var notificationText: String
    /// `sensitive-notification-text`, used when the resource is `sensitiveResource`.
    public var sensitiveNotificationText: String
    public var emailSubject: String
    public var daysToReply: Int
    public var enableDueDate: Bool
    /// The Altinn resource of confidential (taushetsbelagt) messages.
    public var sensitiveResource: String

    public static let upstreamNotificationText = "$correspondenceRecipientName$: Du har mottatt en melding fra $reporterName$."
    public static let upstreamSensitiveNotificationText = "$correspondenceRecipientName$, har mottatt en taushetsbelagt melding fra $reporterName$. For å få tilgang til meldingen, er det nødvendig at noen i $correspondenceRecipientName$ har fått tildelt tilgang til tjenesten «eformidling-dpv-taushetsbelagt» i Altinn. Dersom dere er usikre på om noen har slik tilgang, anbefaler vi sterkt at dette sjekkes. Les mer om å gi tilgang til tjenester på Altinns nettsider."

    public init(notifyEmail: Bool = true, notifySms: Bool = true,
                notificationText: String = DPVSettings.upstreamNotificationText,
                sensitiveNotificationText: String = DPVSettings.upstreamSensitiveNotificationText,
                emailSubject: String = "Melding mottatt i Altinn", daysToReply: Int = 7, enableDueDate: Bool = true,
                sensitiveResource: String = "eformidling-dpv-taushetsbelagt") {
        self.notifyEmail = notifyEmail
        self.notifySms = notifySms
        self.notificationText = notificationText
        self.sensitiveNotificationText = sensitiveNotificationText
        self.emailSubject = emailSubject
        self.daysToReply = daysToReply
        self.enableDueDate = enableDueDate
        self.sensitiveResource = sensitiveResource
    }
}
