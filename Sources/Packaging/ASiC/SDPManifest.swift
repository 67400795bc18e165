import Foundation

/// The SDP manifest (`manifest.xml`, namespace `http://begrep.difi.no/sdp/schema_v10`, `sdp-manifest.xsd`) at the
/// root of a DPI document package: who sends, to which mailbox, and the title and MIME type of every document.
public struct SDPManifest: Sendable, Equatable {
    /// One document of the package (`hoveddokument` or `vedlegg`).
    public struct Document: Sendable, Equatable {
        /// The file name in the container (4–100 characters).
        public var href: String
        public var mimeType: String
        /// Shown to the citizen in the mailbox (1–255 characters).
        public var title: String?
        /// A metadata file enriching the document in the mailbox (`digital.metadataFiler`): its name and MIME type.
        public var data: (href: String, mimeType: String)?

        public init(href: String, mimeType: String, title: String?, data: (href: String, mimeType: String)? = nil) {
            self.href = href
            self.mimeType = mimeType
            self.title = title
            self.data = data
        }

        public static func == (lhs: Document, rhs: Document) -> Bool {
            lhs.href == rhs.href && lhs.mimeType == rhs.mimeType && lhs.title == rhs.title
                && lhs.data?.href == rhs.data?.href && lhs.data?.mimeType == rhs.data?.mimeType
        }
    }

    public static let filename = "manifest.xml"
    public static let namespace = "http://begrep.difi.no/sdp/schema_v10"

    /// `mottaker/person/postkasseadresse`: the citizen's mailbox address (digital post); `nil` for print.
    public var postkasseadresse: String?
    /// `avsender/organisasjon`: ISO 6523 with ICD, e.g. `0192:910077473`.
    public var senderOrganisation: String
    public var avsenderidentifikator: String?
    public var fakturaReferanse: String?
    public var primaryDocument: Document
    public var attachments: [Document]
    /// The language of the titles, two letters (`NO`, `EN`).
    public var language: String

    public init(postkasseadresse: String?, senderOrganisation: String, avsenderidentifikator: String? = nil,
                fakturaReferanse: String? = nil, primaryDocument: Document, attachments: [Document] = [],
                language: String) {
        self.postkasseadresse = postkasseadresse
        self.senderOrganisation = senderOrganisation
        self.avsenderidentifikator = avsenderidentifikator
        self.fakturaReferanse = fakturaReferanse
        self.primaryDocument = primaryDocument
        self.attachments = attachments
        self.language = language
    }

    /// Every file the manifest names (documents and their metadata files), primary document first.
    public var referencedFiles: [String] {
        ([primaryDocument] + attachments).flatMap { [$0.href] + ($0.data.map { [$0.href] } ?? []) }
    }

    /// The manifest XML; throws `SDPManifestError` when a value breaks a rule of `sdp-manifest.xsd`.
    public func xml() throws -> Data {
        try validate()
        let e = XMLEscaping.escape
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<manifest xmlns=\"\(Self.namespace)\">\n"
        if let postkasseadresse {
            xml += "    <mottaker>\n        <person>\n            <postkasseadresse>\(e(postkasseadresse))</postkasseadresse>\n        </person>\n    </mottaker>\n"
        }
        xml += "    <avsender>\n        <organisasjon authority=\"iso6523-actorid-upis\">\(e(senderOrganisation))</organisasjon>\n"
        if let avsenderidentifikator { xml += "        <avsenderidentifikator>\(e(avsenderidentifikator))</avsenderidentifikator>\n" }
        if let fakturaReferanse { xml += "        <fakturaReferanse>\(e(fakturaReferanse))</fakturaReferanse>\n" }
        xml += "    </avsender>\n"
        xml += document("hoveddokument", primaryDocument)
        for attachment in attachments { xml += document("vedlegg", attachment) }
        return Data((xml + "</manifest>\n").utf8)
    }

    private func document(_ element: String, _ document: Document) -> String {
        let e = XMLEscaping.escape
        var xml = "    <\(element) href=\"\(e(document.href))\" mime=\"\(e(document.mimeType))\">\n"
        if let title = document.title { xml += "        <tittel lang=\"\(e(language))\">\(e(title))</tittel>\n" }
        if let data = document.data { xml += "        <data href=\"\(e(data.href))\" mime=\"\(e(data.mimeType))\"/>\n" }
        return xml + "    </\(element)>\n"
    }

    /// The rules of `sdp-manifest.xsd` and `sdp-felles.xsd` a value can break.
    public func validate() throws {
        func check(_ ok: Bool, _ field: String, _ value: String, _ rule: String) throws {
            if !ok { throw SDPManifestError(field: field, value: value, rule: rule) }
        }
        let organisation = senderOrganisation.split(separator: ":", omittingEmptySubsequences: false)
        try check(organisation.count == 2 && organisation[0].count == 4 && organisation[0].allSatisfy(\.isASCIIDigit)
                  && (1...35).contains(organisation[1].count) && organisation[1].allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" },
                  "avsender.organisasjon", senderOrganisation, "four digits, a colon and 1–35 letters or digits (e.g. 0192:910077473)")
        if let avsenderidentifikator {
            try check(avsenderidentifikator.count <= 100, "avsender.avsenderidentifikator", avsenderidentifikator, "at most 100 characters")
        }
        if let fakturaReferanse {
            try check(fakturaReferanse.count <= 40, "avsender.fakturaReferanse", fakturaReferanse, "at most 40 characters")
        }
        try check(language.count == 2, "tittel.lang", language, "a two-letter ISO 639-1 language code")
        try check(attachments.count <= 200, "vedlegg", "\(attachments.count) attachments", "at most 200 attachments")
        for (index, document) in ([primaryDocument] + attachments).enumerated() {
            let name = index == 0 ? "hoveddokument" : "vedlegg[\(index - 1)]"
            try check((4...100).contains(document.href.count), "\(name).href", document.href, "a file name of 4–100 characters")
            try check((1...100).contains(document.mimeType.count), "\(name).mime", document.mimeType, "a MIME type of 1–100 characters")
            if let title = document.title {
                try check((1...255).contains(title.count), "\(name).tittel", title, "a title of 1–255 characters")
            }
            if let data = document.data {
                try check((4...100).contains(data.href.count), "\(name).data.href", data.href, "a file name of 4–100 characters")
                try check((1...100).contains(data.mimeType.count), "\(name).data.mime", data.mimeType, "a MIME type of 1–100 characters")
            }
        }
    }
}

/// A value the SDP manifest cannot carry: the postbox would refuse the document package.
public struct SDPManifestError: Error, Sendable, Equatable, CustomStringConvertible {
    public var field: String
    public var value: String
    public var rule: String

    public var description: String {
        "The DPI manifest cannot carry \(field) '\(value)': it must be \(rule). Correct the message and send it again."
    }
}

private extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
