import Foundation
import Packaging

/// A receipt the sandbox corner 2 holds for a sender until it is marked read.
public struct SandboxDPIReceipt: Sendable {
    /// How a receipt is spoiled on purpose, to test that receivers refuse it.
    public enum Forgery: Sendable, Equatable {
        /// The payload is changed after signing: the signature no longer verifies.
        case badSignature
        /// Signed by a certificate the sandbox CA did not issue.
        case untrustedCertificate
    }

    public let messageId: String
    public let conversationId: String
    /// `leveringskvittering`, `aapningskvittering`, …
    public let type: String
    public let channel: String?
    public let avsenderidentifikator: String?
    /// The organisation whose token posted the letter: only it gets the receipt.
    public let recipientOrganisation: String
    /// The item of `messages/in`: the signed forretningsmelding.
    public let forretningsmelding: String
    public var read = false

    /// Builds and signs a receipt of `type` about `letter`, happening at `time`.
    static func make(type: String, about letter: SandboxDPILetter, at time: Date, signer: PrivateKeyAndCertificate,
                     forgery: Forgery?, impostor: PrivateKeyAndCertificate?) throws -> SandboxDPIReceipt {
        let messageId = UUID().uuidString.lowercased()
        let timestamp = ISO8601DateFormatter().string(from: time)
        var body: [String: Any] = [
            "avsender": ["virksomhetsidentifikator": identifikator(letter.avsenderOrganisation)],
            "mottaker": ["virksomhetsidentifikator": identifikator(letter.providerOrganisation)],
            "tidspunkt": timestamp,
        ]
        if type == "varslingfeiletkvittering" {
            body["varslingskanal"] = "epost"
            body["beskrivelse"] = "The sandbox could not deliver the e-mail notice"
        }
        if type == "feil" {
            body["feiltype"] = "KLIENT"
            body["detaljer"] = "The sandbox was told to report an error"
        }
        let document: [String: Any] = [
            "standardBusinessDocumentHeader": [
                "headerVersion": "1.0",
                "sender": [["identifier": identifikator(letter.providerOrganisation)]],
                "receiver": [["identifier": identifikator(letter.avsenderOrganisation)]],
                "documentIdentification": [
                    "standard": "urn:fdc:digdir.no:2020:innbyggerpost:xsd::innbyggerpost##urn:fdc:digdir.no:2020:innbyggerpost:schema:\(type)::1.0",
                    "typeVersion": "1.0", "instanceIdentifier": messageId, "type": type, "creationDateAndTime": timestamp,
                ] as [String: Any],
                "businessScope": ["scope": [[
                    "type": "ConversationId", "instanceIdentifier": letter.conversationId,
                    "identifier": "urn:fdc:digdir.no:2020:profile:egovernment:innbyggerpost:\(letter.type):ver1.0",
                ]]],
            ] as [String: Any],
            type: body,
        ]
        let payload = try JSONSerialization.data(withJSONObject: ["standardBusinessDocument": document],
                                                 options: [.sortedKeys, .withoutEscapingSlashes])
        var jwt = try CertificateChainJWS.sign(payload: payload, identity: forgery == .untrustedCertificate ? (impostor ?? signer) : signer)
        if forgery == .badSignature {
            // Claim another receipt type, keeping the original signature.
            let claimed = type == "aapningskvittering" ? "leveringskvittering" : "aapningskvittering"
            var parts = jwt.split(separator: ".").map(String.init)
            parts[1] = RS256CompactJWS.base64URL(payload.replacingFirst(Data(type.utf8), with: Data(claimed.utf8)))
            jwt = parts.joined(separator: ".")
        }
        return SandboxDPIReceipt(messageId: messageId, conversationId: letter.conversationId, type: type,
                                 channel: letter.channel, avsenderidentifikator: letter.avsenderidentifikator,
                                 recipientOrganisation: letter.callerOrganisation, forretningsmelding: jwt)
    }

    private static func identifikator(_ organisation: String) -> [String: String] {
        ["authority": "iso6523-actorid-upis", "value": "0192:\(organisation)"]
    }
}
