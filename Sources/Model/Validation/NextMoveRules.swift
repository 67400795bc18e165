import Foundation

/// The pure business rules of create (§4.2) and send (§4.4) that need no storage, registry or configuration
/// beyond their arguments. Each throws the upstream's error.
public enum NextMoveRules {
    /// §4.2 item 8: `standard` must end with `::<type>`.
    public static func checkDocumentTypeFits(_ sbd: StandardBusinessDocument) throws(NextMoveError) {
        let type = sbd.typeName ?? sbd.businessMessage.type.rawValue
        let standard = sbd.documentType ?? ""
        if !standard.hasSuffix("::" + type) {
            throw .messageTypeDoesNotFitDocumentType(type: type, documentType: standard)
        }
    }

    /// §4.2 item 7: a `print` message needs complete receiver and return addresses.
    public static func checkPrintAddresses(_ message: PrintMessage) throws(NextMoveError) {
        func complete(_ a: PostAddress) -> Bool {
            guard !(a.adresselinje1?.isEmpty ?? true) else { return false }
            if a.isNorwegian { return !(a.postnummer?.isEmpty ?? true) && !(a.poststed?.isEmpty ?? true) }
            return true
        }
        guard let mottaker = message.mottaker else { throw .missingAddressInformation("mottaker") }
        if !complete(mottaker) { throw .missingAddressInformation("mottaker.postnummer/poststed/adresselinje1") }
        guard let retur = message.retur?.mottaker else { throw .missingAddressInformation("retur") }
        if !complete(retur) { throw .missingAddressInformation("retur.postnummer/poststed/adresselinje1") }
    }

    /// §4.4 item 2: types that may be sent without files (status, receipts, avtalt).
    public static func mayBeSentWithoutFiles(_ type: MessageType) -> Bool {
        type == .status || type.isReceipt || type == .avtalt
    }

    /// §4.4 item 2.
    public static func checkHasFiles(_ type: MessageType, filenames: [String]) throws(NextMoveError) {
        if filenames.isEmpty && !mayBeSentWithoutFiles(type) { throw .missingFile }
    }

    /// §4.4 item 3: the message expired before it was sent (the caller registers `LEVETID_UTLOPT`).
    public static func checkTimeToLive(_ sbd: StandardBusinessDocument, now: Date) throws(NextMoveError) {
        if let expected = sbd.expectedResponseDateTime, expected.date < now {
            throw .timeToLive(expectedResponseDateTime: expected)
        }
    }

    /// The name of the file an `arkivmelding` must carry.
    public static let arkivmeldingFilename = "arkivmelding.xml"

    /// §4.4 item 4: `arkivmelding.xml` is present and every file it references was uploaded.
    /// `summary` is the parsed `arkivmelding.xml` (nil when it is missing).
    public static func checkArkivmelding(filenames: [String], summary: ArkivmeldingSummary?) throws(NextMoveError) {
        guard filenames.contains(arkivmeldingFilename), let summary else { throw .missingArkivmelding }
        let missing = summary.referanseDokumentfiler.filter { !filenames.contains($0) }
        if !missing.isEmpty { throw .missingArkivmeldingFile(missing) }
    }

    /// §4.4 item 5: every key and value of `digital.metadataFiler` was uploaded (404).
    public static func checkDigitalMetadataFiles(_ message: DigitalMessage, filenames: [String]) throws(NextMoveError) {
        guard let metadata = message.metadataFiler else { return }
        var missing: [String] = []
        for key in metadata.keys.sorted() {
            for name in [key, metadata[key]!] where !filenames.contains(name) && !missing.contains(name) {
                missing.append(name)
            }
        }
        if !missing.isEmpty { throw .fileNotFound(missing) }
    }

    /// §4.4 item 6: DPI (`digital`, `print`) and DPH `dialogmelding` need a file named `hoveddokument`.
    public static func checkPrimaryDocument(_ sbd: StandardBusinessDocument, service: ServiceIdentifier,
                                            filenames: [String]) throws(NextMoveError) {
        let needsPrimary = service == .DPI || (service == .DPH && sbd.messageType == .dialogmelding)
        guard needsPrimary else { return }
        guard let primary = sbd.hoveddokument, filenames.contains(primary) else { throw .missingPrimaryDocument }
    }
}
