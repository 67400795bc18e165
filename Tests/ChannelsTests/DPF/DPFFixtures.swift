import Channels
import Foundation
import Model
import NoarkExchange
import TestTools

/// The DPF fixtures under `Fixtures/` and the message they describe: an arkivmelding from 910077473 to the
/// municipality 910075918 with a hoveddokument and a drawing, sent for the organisation itself.
enum DPFFixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    static let messageId = "3380ed76-5d4c-43e7-aa70-8ed8d97e4835"
    static let senderRef = "6e0b8a5c-9a43-4b8a-9c1e-2f1d2a0b9a11"
    static let receiverRef = "9d2c6f1e-3b7a-4e2d-8f10-5a6b7c8d9e0f"

    static func data(_ name: String) throws -> Data { try Data(contentsOf: folder.appendingPathComponent(name)) }

    static func sbd(sikkerhetsnivaa: Int? = 4, forsendelseType: String? = "Byggesak", senderRef: String? = senderRef,
                    sender: String = "910077473") throws -> StandardBusinessDocument {
        var scopes = [#"{"type":"ConversationId","instanceIdentifier":"c0a1b2c3-d4e5-4f60-8a7b-9c0d1e2f3a4b","identifier":"urn:no:difi:profile:arkivmelding:administrasjon:ver1.0"}"#,
                      #"{"type":"ReceiverRef","instanceIdentifier":"\#(receiverRef)"}"#]
        if let senderRef { scopes.append(#"{"type":"SenderRef","instanceIdentifier":"\#(senderRef)"}"#) }
        var business: [String] = [#""hoveddokument":"vedtak.pdf""#]
        if let sikkerhetsnivaa { business.append(#""sikkerhetsnivaa":\#(sikkerhetsnivaa)"#) }
        if let forsendelseType { business.append(#""dpf":{"forsendelseType":"\#(forsendelseType)"}"#) }
        let json = """
        {"standardBusinessDocumentHeader":{"headerVersion":"1.0",
          "sender":[{"identifier":{"authority":"iso6523-actorid-upis","value":"0192:\(sender)"}}],
          "receiver":[{"identifier":{"authority":"iso6523-actorid-upis","value":"0192:910075918"}}],
          "documentIdentification":{"standard":"urn:no:difi:arkivmelding:xsd::arkivmelding","typeVersion":"2.0",
            "instanceIdentifier":"\(messageId)","type":"arkivmelding"},
          "businessScope":{"scope":[\(scopes.joined(separator: ","))]}},
         "arkivmelding":{\(business.joined(separator: ","))}}
        """
        return try StandardBusinessDocument.decode(from: Data(json.utf8))
    }

    static let receiverInfo = InfoRecord(identifier: "910075918", organizationName: "Kommune B",
                                         postadresse: .init(adresse: "Kongens gate 1", postnummer: "7011",
                                                            poststed: "Trondheim", land: "Norge"))
    static let senderInfo = InfoRecord(identifier: "910077473", organizationName: "Kommune A (registeret)",
                                       postadresse: .init(adresse: "Registerveien 9", postnummer: "0150", poststed: "Oslo"))

    static let files = [
        ForsendelseMapper.File(filename: "arkivmelding.xml", mimeType: "application/xml"),
        ForsendelseMapper.File(filename: "vedtak.pdf", mimeType: "application/pdf"),
        ForsendelseMapper.File(filename: "tegning.dwg", mimeType: "image/vnd.dwg"),
    ]

    static let settings = ForsendelseMapper.Settings(kryptert: true, kunDigitalLevering: false, konteringskode: "K-123",
                                                     ekskluderesFraPrint: ["DWG"])

    static func forsendelse() throws -> Forsendelse {
        let arkivmelding = try ArkivmeldingJournalpost.parse(try data("dpf-arkivmelding.xml"))
        return try ForsendelseMapper(settings: settings).forsendelse(sbd: try sbd(), arkivmelding: arkivmelding, files: files,
                                                                     receiverInfo: receiverInfo, senderInfo: nil)
    }

    /// The tree with every text trimmed, so indentation does not count.
    static func normalized(_ tree: XMLTree) -> XMLTree {
        XMLTree(name: tree.name, namespace: tree.namespace, attributes: tree.attributes,
                children: tree.children.map(normalized), text: tree.text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    static var xmllintPath: String? { try? ExternalTool.path("xmllint") }

    /// xmllint's complaint about `xml` against a schema under `Fixtures/`, or nil when it validates.
    static func schemaErrors(_ xml: String, schema: String) throws -> String? {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = directory.file("document.xml")
        try Data(xml.utf8).write(to: file)
        do {
            try ExternalTool.run("xmllint", ["--noout", "--schema", folder.appendingPathComponent(schema).path, file.path])
            return nil
        } catch let failure as ExternalTool.Failure {
            return failure.description
        }
    }
}
