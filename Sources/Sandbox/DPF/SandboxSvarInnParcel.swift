import Crypto
import Foundation
import Model
import Packaging

/// A forsendelse a test puts into a sandbox SvarInn mailbox: who sent it, its NOARK metadata and its files — and,
/// to test the receiver's checks, a way to spoil it on the way.
public struct SandboxSvarInnParcel: Sendable {
    public struct File: Sendable {
        public var filename: String
        public var mimetype: String
        public var data: Data

        public init(filename: String, mimetype: String, data: Data) {
            self.filename = filename
            self.mimetype = mimetype
            self.data = data
        }
    }

    /// How the forsendelse is spoiled.
    public enum Tamper: Sendable, Equatable {
        case none
        /// The named file's bytes are changed after its SHA-256 went into `filmetadata`.
        case alterFile(String)
        /// The first file is replaced by `expandsTo` zero bytes whose ZIP records claim the original's small size.
        case zipBomb(expandsTo: Int)
    }

    public var id: String?
    public var tittel: String
    /// `svarSendesTil`: the sending organisation (nil for answers without one, as from eDialog).
    public var senderOrganisation: String?
    public var senderName: String
    public var files: [File]
    public var svarPaForsendelse: String?
    public var saksaar = 2024
    public var sakssekvensnummer = 42
    public var journalaar = 2024
    public var journalsekvensnummer = 1234
    public var journalpostnummer = 7
    public var journalposttype = "U"
    public var journalstatus = "E"
    public var journaldato: Date?
    public var saksbehandler: String? = "Kari Nordmann"
    public var ekstraMetadata: [(String, String)] = []
    public var tamper = Tamper.none

    public init(id: String? = nil, tittel: String, senderOrganisation: String?, senderName: String, files: [File],
                svarPaForsendelse: String? = nil, tamper: Tamper = .none) {
        self.id = id
        self.tittel = tittel
        self.senderOrganisation = senderOrganisation
        self.senderName = senderName
        self.files = files
        self.svarPaForsendelse = svarPaForsendelse
        self.tamper = tamper
    }

    /// The ZIP SvarUt makes of the files, and the `filmetadata` describing the files as sent.
    func zip(now: Date) throws -> (Data, [[String: Any]]) {
        var filmetadata: [[String: Any]] = []
        var entries: [(String, Data)] = []
        for (index, file) in files.enumerated() {
            filmetadata.append(["filnavn": file.filename, "mimetype": file.mimetype, "dokumentType": NSNull(),
                                "sha256hash": Hex.lowercase(SHA256.hash(data: file.data)),
                                "size": file.data.count])
            var data = file.data
            if tamper == .alterFile(file.filename), !data.isEmpty { data[data.startIndex] ^= 0xFF }
            if case .zipBomb(let size) = tamper, index == 0 { data = Data(count: size) }
            entries.append((file.filename, data))
        }
        var output = Data()
        var writer = ZipStreamWriter(modified: now) { output.append($0) }
        for (name, data) in entries { try writer.add(name: name, source: .data(data), method: .deflated) }
        try writer.finish()
        if case .zipBomb = tamper, let first = files.first {
            output = Self.claimSize(UInt32(first.data.count), forFirstEntryOf: output)
        }
        return (output, filmetadata)
    }

    /// Rewrites the first entry's uncompressed size in its data descriptor and central directory record: the lie a
    /// zip bomb tells.
    static func claimSize(_ size: UInt32, forFirstEntryOf zip: Data) -> Data {
        var bytes = [UInt8](zip)
        func put(_ value: UInt32, at offset: Int) {
            for i in 0..<4 { bytes[offset + i] = UInt8(truncatingIfNeeded: value >> (8 * UInt32(i))) }
        }
        func find(_ signature: [UInt8]) -> Int? {
            guard bytes.count >= signature.count else { return nil }
            return (0...(bytes.count - signature.count)).first { bytes[$0..<($0 + signature.count)].elementsEqual(signature) }
        }
        if let descriptor = find([0x50, 0x4B, 0x07, 0x08]) { put(size, at: descriptor + 12) }
        if let central = find([0x50, 0x4B, 0x01, 0x02]) { put(size, at: central + 24) }
        return Data(bytes)
    }

    /// The `hentNyeForsendelser` entry (without `downloadUrl`).
    func json(id: String, receiver: String, filmetadata: [[String: Any]], date: Date) -> Data {
        var svarSendesTil: [String: Any] = ["navn": senderName, "adresse1": "Rådhusgata 1", "postnr": "0151",
                                            "poststed": "Oslo", "land": "Norge"]
        if let senderOrganisation { svarSendesTil["orgnr"] = senderOrganisation }
        var metadata: [String: Any] = [
            "sakssekvensnummer": sakssekvensnummer, "saksaar": saksaar, "journalaar": journalaar,
            "journalsekvensnummer": journalsekvensnummer, "journalpostnummer": journalpostnummer,
            "journalposttype": journalposttype, "journalstatus": journalstatus, "tittel": tittel,
            "ekstraMetadata": ekstraMetadata.map { ["key": $0.0, "value": $0.1] },
        ]
        metadata["journaldato"] = Int64((journaldato ?? date).timeIntervalSince1970 * 1000)
        metadata["saksBehandler"] = saksbehandler
        var json: [String: Any] = [
            "id": id, "tittel": tittel, "date": Int64(date.timeIntervalSince1970 * 1000),
            "mottaker": ["orgnr": receiver, "navn": "Mottaker \(receiver)"],
            "svarSendesTil": svarSendesTil, "metadataFraAvleverendeSystem": metadata,
            "status": "Akseptert", "niva": "3", "filmetadata": filmetadata,
        ]
        json["svarPaForsendelse"] = svarPaForsendelse
        return (try? JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])) ?? Data("{}".utf8)
    }
}
