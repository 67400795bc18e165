import Foundation
import Model

/// The SBD of a forsendelse from SvarInn (`internals.md` §2.3 step 3): sender = `svarSendesTil.orgnr` (or
/// `difi.move.fiks.inn.fallback-sender-org-nr` when SvarInn names none, as for eDialog answers), receiver =
/// `mottaker.orgnr`, messageId = conversationId = the forsendelse id, process and document type from
/// `difi.move.fiks.inn.process`/`document-type`, a ReceiverRef scope when it answers an earlier forsendelse, and the
/// default time to live.
public struct SvarInnSBD: Sendable {
    public var process: String
    public var documentType: String
    public var fallbackSenderOrganisationNumber: String
    public var timeToLiveHours: Int

    public init(process: String = "urn:no:difi:profile:arkivmelding:administrasjon:ver1.0",
                documentType: String = "urn:no:difi:arkivmelding:xsd::arkivmelding",
                fallbackSenderOrganisationNumber: String = "999999999", timeToLiveHours: Int = 24) {
        self.process = process
        self.documentType = documentType
        self.fallbackSenderOrganisationNumber = fallbackSenderOrganisationNumber
        self.timeToLiveHours = timeToLiveHours
    }

    /// - Parameter mailbox: the organisation whose mailbox held it, when SvarInn names no receiver.
    public func sbd(for forsendelse: SvarInnForsendelse, mailbox: String, now: Date) -> StandardBusinessDocument {
        let sender = forsendelse.svarSendesTil.orgnr.flatMap(Self.organisationNumber) ?? fallbackSenderOrganisationNumber
        let receiver = forsendelse.mottaker.orgnr.flatMap(Self.organisationNumber) ?? mailbox
        var scopes = [Scope(.conversationId, instanceIdentifier: forsendelse.id, identifier: process,
                            scopeInformation: [CorrelationInformation(
                                expectedResponseDateTime: OffsetDateTime(oslo: now.addingTimeInterval(TimeInterval(timeToLiveHours) * 3600)))])]
        if let answered = forsendelse.svarPaForsendelse {
            scopes.append(Scope(.receiverRef, instanceIdentifier: answered, identifier: process))
        }
        let header = StandardBusinessDocumentHeader(
            headerVersion: "1.0",
            sender: [Partner(.organization(sender))],
            receiver: [Partner(.organization(receiver))],
            documentIdentification: DocumentIdentification(
                standard: documentType, typeVersion: "2.0", instanceIdentifier: forsendelse.id,
                type: MessageType.arkivmelding.rawValue, creationDateAndTime: OffsetDateTime(oslo: now)),
            businessScope: BusinessScope(scope: scopes))
        return StandardBusinessDocument(standardBusinessDocumentHeader: header,
                                        businessMessage: .arkivmelding(ArkivmeldingMessage(hoveddokument: SvarInnArkivmelding.filename)))
    }

    /// Nine digits, or nil (a person's number or a malformed value cannot be an SBD organisation).
    static func organisationNumber(_ value: String) -> String? {
        let digits = value.trimmingCharacters(in: .whitespaces)
        return digits.count == 9 && digits.allSatisfy(\.isASCII) && digits.allSatisfy(\.isNumber) ? digits : nil
    }
}
