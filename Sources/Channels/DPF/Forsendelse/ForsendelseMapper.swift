import Foundation
import Model
import NoarkExchange

/// Builds the `Forsendelse` for an outgoing DPF message from its SBD, its `arkivmelding.xml`, its files and the
/// service registry's records of receiver and sender, field by field as `internals.md` §2.3 and
/// `Utvikling_Transformasjoner_arkivmelding_til_ks_svarut.md` list them. Pure: the caller looks the records up.
public struct ForsendelseMapper: Sendable {
    /// The `difi.move.fiks.*` settings that reach the forsendelse.
    public struct Settings: Sendable, Equatable {
        /// `difi.move.fiks.kryptert` (true): the documents are CMS-encrypted to SvarUt's receiver.
        public var kryptert: Bool
        /// `difi.move.fiks.ut.kun-digital-levering` (false).
        public var kunDigitalLevering: Bool
        /// `difi.move.fiks.ut.konteringsKode`.
        public var konteringskode: String?
        /// `difi.move.fiks.ut.ekskluderesFraPrint`: file extensions (without dot) whose files are left out of print,
        /// or `*` for every file that is not a PDF.
        public var ekskluderesFraPrint: Set<String>

        public init(kryptert: Bool = true, kunDigitalLevering: Bool = false, konteringskode: String? = nil,
                    ekskluderesFraPrint: Set<String> = []) {
            self.kryptert = kryptert
            self.kunDigitalLevering = kunDigitalLevering
            self.konteringskode = konteringskode
            self.ekskluderesFraPrint = Set(ekskluderesFraPrint.map { $0.lowercased() })
        }
    }

    /// A file of the message, as uploaded.
    public struct File: Sendable, Equatable {
        public var filename: String
        public var mimeType: String
        public init(filename: String, mimeType: String) {
            self.filename = filename
            self.mimeType = mimeType
        }
    }

    public enum MappingError: Error, Sendable, Equatable, CustomStringConvertible {
        case missingFile(String)
        case noTitle
        case noReceiver

        public var description: String {
            switch self {
            case .missingFile(let name):
                "arkivmelding.xml refers to the file \"\(name)\", which is not among the message's files; upload it or correct referanseDokumentfil"
            case .noTitle:
                "arkivmelding.xml has neither offentligTittel nor tittel on its journalpost; SvarUt requires a title"
            case .noReceiver:
                "the SBD has no receiver organisation number"
            }
        }
    }

    public var settings: Settings

    public init(settings: Settings) {
        self.settings = settings
    }

    /// The id SvarUt gets for the forsendelse (`sendForsendelseMedId`): the SenderRef scope when it is a UUID, else
    /// the messageId.
    public static func forsendelseId(for sbd: StandardBusinessDocument) -> String {
        if let reference = sbd.senderRef, UUID(uuidString: reference) != nil { return reference }
        return sbd.messageId ?? ""
    }

    /// - Parameters:
    ///   - receiverInfo: the registry's `infoRecord` of the receiver.
    ///   - senderInfo: the registry's `infoRecord` of the sender; used only when the arkivmelding names no
    ///     `Avsender` correspondence party.
    public func forsendelse(sbd: StandardBusinessDocument, arkivmelding: ArkivmeldingJournalpost, files: [File],
                            receiverInfo: InfoRecord, senderInfo: InfoRecord?) throws(MappingError) -> Forsendelse {
        guard let title = arkivmelding.offentligTittel ?? arkivmelding.tittel else { throw .noTitle }
        let senderNumber = sbd.senderIdentifier ?? senderInfo?.identifier ?? ""
        let svarSendesTil: Forsendelse.Adresse
        if let avsender = arkivmelding.avsender {
            svarSendesTil = Forsendelse.Adresse(
                orgnr: senderNumber, navn: avsender.navn,
                adresse1: avsender.postadresse.isEmpty ? nil : avsender.postadresse.joined(separator: " "),
                postnr: avsender.postnummer, poststed: avsender.poststed, land: avsender.land)
        } else {
            svarSendesTil = Self.address(senderInfo, fallbackNumber: senderNumber)
        }
        var forsendelse = Forsendelse(
            tittel: title,
            eksternReferanse: sbd.messageId ?? "",
            forsendelseType: sbd.arkivmeldingDpfForsendelseType,
            svarPaForsendelse: sbd.receiverRef.flatMap { UUID(uuidString: $0) != nil ? $0 : nil },
            sikkerhetsnivaa: Forsendelse.Sikkerhetsnivaa(level: sbd.sikkerhetsnivaa),
            konteringskode: settings.konteringskode,
            kryptert: settings.kryptert,
            kunDigitalLevering: settings.kunDigitalLevering,
            mottaker: Self.address(receiverInfo, fallbackNumber: sbd.receiverIdentifier ?? ""),
            svarSendesTil: svarSendesTil,
            metadataFraAvleverendeSystem: metadata(arkivmelding, title: title),
            dokumenter: [])
        forsendelse.dokumenter = try arkivmelding.referencedFiles.map { (name) throws(MappingError) in
            guard let file = files.first(where: { $0.filename == name }) else { throw .missingFile(name) }
            return Forsendelse.Dokument(filnavn: file.filename, mimetype: file.mimeType,
                                        ekskluderesFraPrint: excludedFromPrint(file.filename))
        }
        return forsendelse
    }

    /// false for PDFs; true for other files when the setting names their extension or `*`; nil otherwise.
    func excludedFromPrint(_ filename: String) -> Bool? {
        let ext = filename.split(separator: ".", omittingEmptySubsequences: false).last.map { $0.lowercased() } ?? "pdf"
        if ext == "pdf" { return false }
        if settings.ekskluderesFraPrint.contains("*") || settings.ekskluderesFraPrint.contains(ext) { return true }
        return nil
    }

    private func metadata(_ am: ArkivmeldingJournalpost, title: String) -> Forsendelse.NoarkMetadata {
        var metadata = Forsendelse.NoarkMetadata()
        metadata.saksaar = am.saksaar ?? 0
        metadata.sakssekvensnummer = am.sakssekvensnummer ?? 0
        metadata.journalaar = am.journalaar ?? 0
        metadata.journalsekvensnummer = am.journalsekvensnummer ?? 0
        metadata.journalpostnummer = am.journalpostnummer ?? 0
        metadata.journalposttype = NoarkCodes.journalposttypeCode(am.journalposttype)
        metadata.journalstatus = NoarkCodes.journalstatusCode(am.journalstatus)
        metadata.journaldato = am.journaldato
        metadata.dokumentetsDato = am.dokumentetsDato
        metadata.tittel = am.offentligTittel ?? title
        metadata.saksbehandler = am.avsender?.saksbehandler
        metadata.ekstraMetadata = am.virksomhetsspesifikkeMetadata
        return metadata
    }

    /// The registry's name and postal address of an organisation. Without a postal address the upstream sends
    /// "0192 Oslo, Norge"; its REST mapper swaps postnummer and poststed (`[U]`, `internals.md` §2.3 "(sic)") —
    /// both transports here send postnummer 0192 and poststed Oslo.
    static func address(_ info: InfoRecord?, fallbackNumber: String) -> Forsendelse.Adresse {
        let number = info?.identifier ?? fallbackNumber
        guard let postal = info?.postadresse else {
            return Forsendelse.Adresse(orgnr: number, navn: info?.organizationName, postnr: "0192", poststed: "Oslo",
                                       land: "Norge")
        }
        return Forsendelse.Adresse(orgnr: number, navn: info?.organizationName, adresse1: postal.adresse,
                                   postnr: postal.postnummer, poststed: postal.poststed, land: postal.land)
    }
}

extension StandardBusinessDocument {
    /// `arkivmelding.dpf.forsendelseType`, when the message names one.
    var arkivmeldingDpfForsendelseType: String? {
        guard case .arkivmelding(let message) = businessMessage,
              let type = message.dpf?.forsendelseType?.trimmingCharacters(in: .whitespaces), !type.isEmpty else { return nil }
        return type
    }
}
