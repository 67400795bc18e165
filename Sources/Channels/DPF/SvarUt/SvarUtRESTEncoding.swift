import Foundation

/// A `Forsendelse` as the SvarUt REST v3 `OrganisasjonForsendelse` JSON (`forsendelse-send-api-v3.json`):
/// `mottaker`/`svarSendesTil` with `digitalId` and `adresse{adresselinje1, postnummer, poststed, land}`,
/// `sikkerhetsniva`, `utskriftskonfigurasjon{tosidig}`, `svarPaForsendelseId`, `forsendelsestype`,
/// `dokumenter[{filnavn, mimeType, skalEkskluderesFraUtskrift}]`. Absent values are left out.
public enum SvarUtRESTEncoding {
    public static func json(_ forsendelse: Forsendelse) -> Data {
        let data = try? JSONSerialization.data(withJSONObject: object(forsendelse),
                                               options: [.sortedKeys, .withoutEscapingSlashes])
        return data ?? Data("{}".utf8)
    }

    static func object(_ f: Forsendelse) -> [String: Any] {
        var object: [String: Any] = [
            "tittel": f.tittel,
            "eksternReferanse": f.eksternReferanse,
            "sikkerhetsniva": f.sikkerhetsnivaa.rawValue,
            "kryptert": f.kryptert,
            "kunDigitalLevering": f.kunDigitalLevering,
            "avgivendeSystem": f.avgivendeSystem,
            "utskriftskonfigurasjon": ["tosidig": f.printkonfigurasjon.tosidig],
            "mottaker": party(f.mottaker),
            "svarSendesTil": party(f.svarSendesTil),
            "metadataFraAvleverendeSystem": metadata(f.metadataFraAvleverendeSystem),
            "dokumenter": f.dokumenter.map { dokument -> [String: Any] in
                var entry: [String: Any] = ["filnavn": dokument.filnavn, "mimeType": dokument.mimetype]
                if let excluded = dokument.ekskluderesFraPrint { entry["skalEkskluderesFraUtskrift"] = excluded }
                return entry
            },
        ]
        object["forsendelsestype"] = f.forsendelseType
        object["svarPaForsendelseId"] = f.svarPaForsendelse
        object["konteringskode"] = f.konteringskode
        return object
    }

    private static func party(_ address: Forsendelse.Adresse) -> [String: Any] {
        var adresse: [String: Any] = [:]
        adresse["adresselinje1"] = address.adresse1
        adresse["postnummer"] = address.postnr
        adresse["poststed"] = address.poststed
        adresse["land"] = address.land
        var party: [String: Any] = ["digitalId": address.orgnr, "adresse": adresse]
        party["navn"] = address.navn
        return party
    }

    private static func metadata(_ m: Forsendelse.NoarkMetadata) -> [String: Any] {
        var object: [String: Any] = [
            "saksaar": m.saksaar, "sakssekvensnummer": m.sakssekvensnummer, "journalaar": m.journalaar,
            "journalsekvensnummer": m.journalsekvensnummer, "journalpostnummer": m.journalpostnummer,
            "ekstraMetadata": m.ekstraMetadata.map { ["key": $0.key, "value": $0.value] },
        ]
        object["journalposttype"] = m.journalposttype
        object["journalstatus"] = m.journalstatus
        object["journaldato"] = m.journaldato?.startOfDayInOslo.description
        object["dokumentetsDato"] = m.dokumentetsDato?.startOfDayInOslo.description
        object["tittel"] = m.tittel
        object["saksbehandler"] = m.saksbehandler
        return object
    }
}
