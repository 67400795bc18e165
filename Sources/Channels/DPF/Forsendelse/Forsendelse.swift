import Foundation
import Model

/// One message to KS SvarUt, as both of its APIs know it (`internals.md` §2.3,
/// `Utvikling_Transformasjoner_arkivmelding_til_ks_svarut.md`): the SOAP `ForsendelsesServiceV9` `forsendelse` and
/// the REST v3 `OrganisasjonForsendelse` carry the same facts under different names, so the mapping from
/// arkivmelding is done once, here, and each transport only encodes it (`SvarUtSOAPEncoding`, `SvarUtRESTEncoding`).
public struct Forsendelse: Sendable, Equatable {
    /// The login level the receiver needs to open the documents.
    public enum Sikkerhetsnivaa: String, Sendable, Equatable {
        /// Level 3 (and anything but 4).
        case betydelig = "BETYDELIG"
        /// Level 4: SOAP's `krevNiva4Innlogging=true`.
        case hoyeste = "HOYESTE"

        /// 4 → `HOYESTE`, anything else → `BETYDELIG`, as the upstream maps `arkivmelding.sikkerhetsnivaa`.
        public init(level: Int?) { self = level == 4 ? .hoyeste : .betydelig }
    }

    /// An organisation's digital address (its number) and postal address.
    public struct Adresse: Sendable, Equatable {
        public var orgnr: String
        public var navn: String?
        public var adresse1: String?
        public var postnr: String?
        public var poststed: String?
        public var land: String?

        public init(orgnr: String, navn: String? = nil, adresse1: String? = nil, postnr: String? = nil,
                    poststed: String? = nil, land: String? = nil) {
            self.orgnr = orgnr
            self.navn = navn
            self.adresse1 = adresse1
            self.postnr = postnr
            self.poststed = poststed
            self.land = land
        }
    }

    /// `metadataFraAvleverendeSystem`: the sender's case and journal post numbers. Numbers missing in the
    /// arkivmelding are 0, as the upstream sends them (the SOAP schema requires them).
    public struct NoarkMetadata: Sendable, Equatable {
        public var saksaar = 0
        public var sakssekvensnummer = 0
        public var journalaar = 0
        public var journalsekvensnummer = 0
        public var journalpostnummer = 0
        /// NOARK 4 code (`I`, `U`, `N`, `X`, `S`).
        public var journalposttype: String?
        /// NOARK 4 code (`R`, `J`, `G`, `E`, `A`, `U`).
        public var journalstatus: String?
        /// Sent as the start of that day in Oslo time.
        public var journaldato: LocalDate?
        public var dokumentetsDato: LocalDate?
        public var tittel: String?
        public var saksbehandler: String?
        /// The simple elements of the journal post's `virksomhetsspesifikkeMetadata`, in order.
        public var ekstraMetadata: [MetadataEntry] = []

        public init() {}
    }

    /// One key/value of `ekstraMetadata`.
    public struct MetadataEntry: Sendable, Equatable {
        public var key: String
        public var value: String
        public init(key: String, value: String) {
            self.key = key
            self.value = value
        }
    }

    /// One document; its bytes travel beside the forsendelse (an MTOM part or a multipart file).
    public struct Dokument: Sendable, Equatable {
        public var filnavn: String
        public var mimetype: String
        /// `true`/`false`, or nil to leave SvarUt's default (upstream: only non-PDFs named by
        /// `difi.move.fiks.ut.ekskluderesFraPrint` are marked).
        public var ekskluderesFraPrint: Bool?

        public init(filnavn: String, mimetype: String, ekskluderesFraPrint: Bool? = nil) {
            self.filnavn = filnavn
            self.mimetype = mimetype
            self.ekskluderesFraPrint = ekskluderesFraPrint
        }
    }

    /// Print settings: two-sided, black and white, B-post (the upstream's fixed values).
    public struct Printkonfigurasjon: Sendable, Equatable {
        public var tosidig = true
        public var fargePrint = false
        public var brevtype = "BPOST"
        public init() {}
    }

    public var tittel: String
    /// The messageId, for finding the forsendelse at SvarUt again.
    public var eksternReferanse: String
    /// `arkivmelding.dpf.forsendelseType`; nil when the message names none.
    public var forsendelseType: String?
    /// The ReceiverRef scope, when it is a UUID: the forsendelse this one answers.
    public var svarPaForsendelse: String?
    public var sikkerhetsnivaa: Sikkerhetsnivaa
    public var konteringskode: String?
    public var kryptert: Bool
    public var kunDigitalLevering: Bool
    /// Always empty, as the upstream sends it.
    public var avgivendeSystem = ""
    public var printkonfigurasjon = Printkonfigurasjon()
    public var mottaker: Adresse
    public var svarSendesTil: Adresse
    public var metadataFraAvleverendeSystem: NoarkMetadata
    /// Hoveddokument first, then the other documents in arkivmelding order.
    public var dokumenter: [Dokument]

    public init(tittel: String, eksternReferanse: String, forsendelseType: String?, svarPaForsendelse: String?,
                sikkerhetsnivaa: Sikkerhetsnivaa, konteringskode: String?, kryptert: Bool, kunDigitalLevering: Bool,
                mottaker: Adresse, svarSendesTil: Adresse, metadataFraAvleverendeSystem: NoarkMetadata,
                dokumenter: [Dokument]) {
        self.tittel = tittel
        self.eksternReferanse = eksternReferanse
        self.forsendelseType = forsendelseType
        self.svarPaForsendelse = svarPaForsendelse
        self.sikkerhetsnivaa = sikkerhetsnivaa
        self.konteringskode = konteringskode
        self.kryptert = kryptert
        self.kunDigitalLevering = kunDigitalLevering
        self.mottaker = mottaker
        self.svarSendesTil = svarSendesTil
        self.metadataFraAvleverendeSystem = metadataFraAvleverendeSystem
        self.dokumenter = dokumenter
    }
}
