import Foundation

/// The calls DPF makes to KS SvarUt, whichever API carries them (`difi.move.fiks.ut.type`): the SOAP
/// `ForsendelsesServiceV9` (`SvarUtSOAPClient`, `ws`) or the REST v3 API (`SvarUtRESTClient`, `rest`).
///
/// `sender` is the organisation the message is sent for (our own, or one we send on behalf of): the SOAP API
/// picks its Basic credentials by it, the REST API names it as Maskinporten `consumer_org` on lookups.
public protocol SvarUtTransport: Sendable {
    /// `ws` or `rest`, for messages and logs.
    var kind: String { get }

    /// Whether SvarUt credentials are configured for `sender` (own or `paaVegneAv`).
    func hasCredentials(for sender: String) -> Bool

    /// Sends the forsendelse with its CMS-encrypted documents (in `forsendelse.dokumenter` order); answers the id
    /// SvarUt registered it under. The SOAP API takes `forsendelseId`; the REST API makes its own.
    func send(_ forsendelse: Forsendelse, forsendelseId: String, documents: [SvarUtDocument],
              sender: String) async throws(SvarUtError) -> String

    /// The current status of each forsendelse SvarUt knows among `forsendelseIds`.
    func statuses(of forsendelseIds: [String], sender: String) async throws(SvarUtError) -> [SvarUtForsendelseStatus]

    /// The ids of the forsendelser sent with `eksternReferanse` (the messageId), newest knowledge of SvarUt.
    func forsendelseIds(eksternReferanse: String, sender: String) async throws(SvarUtError) -> [String]

    /// The forsendelse types SvarUt accepts (`arkivmelding.dpf.forsendelseType` must be one of them).
    func forsendelseTyper(sender: String) async throws(SvarUtError) -> [String]
}

/// One document's bytes on their way to SvarUt: a file holding the CMS EnvelopedData (or the plain bytes when
/// `difi.move.fiks.kryptert=false`).
public struct SvarUtDocument: Sendable, Equatable {
    public var filnavn: String
    public var mimetype: String
    public var file: URL
    public var size: Int64

    public init(filnavn: String, mimetype: String, file: URL, size: Int64) {
        self.filnavn = filnavn
        self.mimetype = mimetype
        self.file = file
        self.size = size
    }
}

/// A forsendelse's status at SvarUt (`MOTTATT`, `AKSEPTERT`, `VARSLET`, `LEST`, `AVVIST`, …).
public struct SvarUtForsendelseStatus: Sendable, Equatable {
    public var forsendelseId: String
    public var status: String
    public var sisteStatusEndring: Date?

    public init(forsendelseId: String, status: String, sisteStatusEndring: Date? = nil) {
        self.forsendelseId = forsendelseId
        self.status = status
        self.sisteStatusEndring = sisteStatusEndring
    }

    /// Only `LEST` changes an eFormidling status: SvarUt guarantees delivery once it has accepted a forsendelse,
    /// so LEVERT is recorded at send (`FiksRestStatusMapper`, `FiksWebServiceStatusMapper`).
    public var isLest: Bool { status == "LEST" }
}
