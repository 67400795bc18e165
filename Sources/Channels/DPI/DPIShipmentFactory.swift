import Foundation
import Model
import Packaging

/// Turns a NextMove `digital` or `print` message into a DPI shipment, as the upstream's
/// `MeldingsformidlerRequestFactory` and `ShipmentFactory` do (`digdir-docs` "Transformasjon fra digital/print til
/// digital post til innbyggere").
public struct DPIShipmentFactory: Sendable {
    /// `difi.move.dpi.language`: used when neither the message nor the receiver's record names a language.
    public var defaultLanguage: String
    /// The title of a document uploaded without one (the upstream's text).
    public static let missingTitle = "Missing title"

    public init(defaultLanguage: String = "NO") {
        self.defaultLanguage = defaultLanguage
    }

    /// The shipment of `sbd` with `files` to `recipient`, created at `now`.
    public func shipment(for sbd: StandardBusinessDocument, files: [DPIFile], recipient: DPIRecipient,
                         now: Date) throws -> DPIShipment {
        guard let messageId = sbd.messageId, let conversationId = sbd.conversationId else {
            throw DPIError.invalidMessage("the SBD has no messageId or conversationId")
        }
        guard let sender = sbd.sender, sender.isOrganization else {
            throw DPIError.invalidMessage("the sender \(sbd.senderValue ?? "(none)") is not an organisation number")
        }
        // Sending on behalf of another organisation: the SBD's sender is 0192:<own>:<other>.
        let avsenderOrganisation = sender.partIdentifier ?? sender.primaryIdentifier
        let body: Forretningsmelding.Body
        let language: String
        let metadataFiles: [String: String]
        switch sbd.businessMessage {
        case .digital(let digital):
            language = digital.spraak.flatMap { $0.isEmpty ? nil : $0 } ?? recipient.language ?? defaultLanguage
            body = .digital(try self.digital(digital, avsenderOrganisation: avsenderOrganisation, recipient: recipient,
                                             language: language, now: now))
            metadataFiles = digital.metadataFiler ?? [:]
        case .print(let print):
            language = recipient.language ?? defaultLanguage
            body = .utskrift(try utskrift(print, avsenderOrganisation: avsenderOrganisation))
            metadataFiles = [:]
        default:
            throw DPIError.invalidMessage("only digital and print messages go by DPI, not \(sbd.messageType.rawValue)")
        }
        let (manifest, documents) = try parcel(sbd: sbd, files: files, metadataFiles: metadataFiles, body: body,
                                               recipient: recipient, language: language)
        let melding = Forretningsmelding(
            messageId: messageId, conversationId: conversationId, senderOrganisationNumber: sender.primaryIdentifier,
            receiverOrganisationNumber: recipient.providerOrganisationNumber,
            creationDateAndTime: OffsetDateTime(oslo: now), expectedResponseDateTime: sbd.expectedResponseDateTime,
            body: body)
        return DPIShipment(forretningsmelding: melding, manifest: manifest, documents: documents,
                           recipientCertificateDER: recipient.certificateDER)
    }

    // MARK: Business messages

    private func avsender(_ organisation: String, avsenderId: String?, fakturaReferanse: String?) -> Forretningsmelding.Avsender {
        Forretningsmelding.Avsender(virksomhetsidentifikator: .init(organisationNumber: organisation),
                                    avsenderidentifikator: avsenderId.flatMap { $0.isEmpty ? nil : $0 },
                                    fakturaReferanse: fakturaReferanse.flatMap { $0.isEmpty ? nil : $0 })
    }

    private func digital(_ message: DigitalMessage, avsenderOrganisation: String, recipient: DPIRecipient,
                         language: String, now: Date) throws -> Forretningsmelding.Digital {
        guard let mailbox = recipient.postkasseadresse else {
            throw DPIError.incompleteRecipient("the receiver has no digital mailbox address (postkasseAdresse); send the letter as print")
        }
        guard let level = message.sikkerhetsnivaa, level == 3 || level == 4 else {
            throw DPIError.invalidMessage("digital.sikkerhetsnivaa must be 3 or 4, was \(message.sikkerhetsnivaa.map(String.init) ?? "missing")")
        }
        guard let title = message.tittel, !title.isEmpty else {
            throw DPIError.invalidMessage("digital.tittel is missing; it is the title the citizen sees before logging in")
        }
        var varsler = Forretningsmelding.Varsler()
        if let email = recipient.email, let text = message.varsler?.epostTekst, !text.isEmpty {
            varsler.epostvarsel = .init(address: email, varslingstekst: text)
        }
        if let mobile = recipient.mobile, let text = message.varsler?.smsTekst, !text.isEmpty {
            varsler.smsvarsel = .init(address: mobile, varslingstekst: text)
        }
        let effective = message.digitalPostInfo?.virkningsdato.map { $0.startOfDayInOslo.date } ?? now
        return Forretningsmelding.Digital(
            avsender: avsender(avsenderOrganisation, avsenderId: message.avsenderId, fakturaReferanse: message.fakturaReferanse),
            mottaker: .init(postkasseadresse: mailbox), sikkerhetsnivaa: level,
            virkningstidspunkt: OffsetDateTime(oslo: effective),
            aapningskvittering: message.digitalPostInfo?.aapningskvittering ?? false,
            ikkesensitivtittel: title, spraak: language, varsler: varsler)
    }

    private func utskrift(_ message: PrintMessage, avsenderOrganisation: String) throws -> Forretningsmelding.Utskrift {
        guard let mottaker = message.mottaker, let retur = message.retur?.mottaker else {
            throw DPIError.invalidMessage("print.mottaker and print.retur.mottaker are required")
        }
        return Forretningsmelding.Utskrift(
            avsender: avsender(avsenderOrganisation, avsenderId: message.avsenderId, fakturaReferanse: message.fakturaReferanse),
            mottaker: Self.adresse(mottaker),
            utskriftstype: message.utskriftsfarge == "FARGE" ? "FARGE" : "SORT_HVIT",
            retur: .init(mottaker: Self.adresse(retur),
                         returposthaandtering: message.retur?.returhaandtering == "MAKULERING_MED_MELDING"
                            ? "MAKULERING_MED_MELDING" : "DIREKTE_RETUR"),
            posttype: message.posttype == "A_PRIORITERT" ? "A" : "B")
    }

    /// A NextMove postal address as the print provider takes it: a Norwegian address keeps postnummer and
    /// poststed; a foreign one moves them into the first free address line and names the country.
    static func adresse(_ address: PostAddress) -> Forretningsmelding.AdresseInformasjon {
        func text(_ value: String?) -> String? { value.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 } }
        var result = Forretningsmelding.AdresseInformasjon(
            navn: address.navn, adresselinje1: address.adresselinje1, adresselinje2: address.adresselinje2,
            adresselinje3: address.adresselinje3, adresselinje4: address.adresselinje4)
        if address.isNorwegian {
            result.postnummer = address.postnummer
            result.poststed = address.poststed
            return result
        }
        let postal = [text(address.postnummer), text(address.poststed)].compactMap { $0 }.joined(separator: " ")
        if !postal.isEmpty {
            if text(result.adresselinje2) == nil {
                result.adresselinje2 = postal
            } else if text(result.adresselinje3) == nil {
                result.adresselinje3 = postal
            } else if let line4 = text(result.adresselinje4) {
                result.adresselinje4 = line4 + " " + postal
            } else {
                result.adresselinje4 = postal
            }
        }
        result.land = address.land
        return result
    }

    // MARK: Documents

    /// The SDP manifest and the container's documents: the primary document (`hoveddokument`), the other files
    /// except metadata files, then the metadata files of those documents.
    private func parcel(sbd: StandardBusinessDocument, files: [DPIFile], metadataFiles: [String: String],
                        body: Forretningsmelding.Body, recipient: DPIRecipient,
                        language: String) throws -> (SDPManifest, [AsicDocument]) {
        guard let primaryName = sbd.hoveddokument, let primary = files.first(where: { $0.filename == primaryName }) else {
            throw DPIError.invalidMessage("no uploaded file is the hoveddokument '\(sbd.hoveddokument ?? "")'")
        }
        let metadataNames = Set(metadataFiles.values)
        let attachments = files.filter { $0.filename != primaryName && !metadataNames.contains($0.filename) }
        var metadataDocuments: [AsicDocument] = []
        func document(_ file: DPIFile) throws -> SDPManifest.Document {
            var data: (href: String, mimeType: String)?
            if let name = metadataFiles[file.filename] {
                guard let metadata = files.first(where: { $0.filename == name }) else {
                    throw DPIError.invalidMessage("the metadata file '\(name)' of '\(file.filename)' was not uploaded")
                }
                data = (metadata.filename, metadata.mimeType)
                if !metadataDocuments.contains(where: { $0.filename == metadata.filename }) {
                    metadataDocuments.append(AsicDocument(filename: metadata.filename, mimeType: metadata.mimeType,
                                                          source: metadata.source))
                }
            }
            let title = file.title.flatMap { $0.isEmpty ? nil : $0 } ?? Self.missingTitle
            return SDPManifest.Document(href: file.filename, mimeType: file.mimeType, title: title, data: data)
        }
        let avsender = body.avsender
        let manifest = SDPManifest(
            postkasseadresse: recipient.postkasseadresse.flatMap { body.type == .digital ? $0 : nil },
            senderOrganisation: avsender.virksomhetsidentifikator.value,
            avsenderidentifikator: avsender.avsenderidentifikator, fakturaReferanse: avsender.fakturaReferanse,
            primaryDocument: try document(primary), attachments: try attachments.map(document), language: language)
        let documents = ([primary] + attachments).map { AsicDocument(filename: $0.filename, mimeType: $0.mimeType, source: $0.source) }
            + metadataDocuments
        return (manifest, documents)
    }
}
