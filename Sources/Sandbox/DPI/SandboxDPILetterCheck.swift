import Crypto
import Foundation

/// What the sandbox corner 2 checks in a posted letter, after the JWS: the business message's required fields
/// (`innbyggerpost_dpi_digital_1_0.schema.json`, `…_utskrift_1_0`), the package fingerprint and the token.
struct SandboxDPILetterCheck {
    struct Fields {
        var messageId: String
        var conversationId: String
        var type: String
        var avsenderOrganisation: String
        var avsenderidentifikator: String?
        var providerOrganisation: String
    }

    struct Refusal: Error, CustomStringConvertible {
        var description: String
    }

    let payload: Data
    let package: Data
    let bearerToken: String

    func fields() throws -> Fields {
        func refuse(_ text: String) -> Refusal { Refusal(description: text) }
        guard let root = try? JSONSerialization.jsonObject(with: payload) as? [String: Any],
              let document = root["standardBusinessDocument"] as? [String: Any],
              let header = document["standardBusinessDocumentHeader"] as? [String: Any],
              let identification = header["documentIdentification"] as? [String: Any] else {
            throw refuse("The forretningsmelding is not {\"standardBusinessDocument\": {\"standardBusinessDocumentHeader\": …}}")
        }
        let type = identification["type"] as? String ?? ""
        guard type == "digital" || type == "utskrift" else { throw refuse("The type must be digital or utskrift, was '\(type)'") }
        guard identification["standard"] as? String
                == "urn:fdc:digdir.no:2020:innbyggerpost:xsd::innbyggerpost##urn:fdc:digdir.no:2020:innbyggerpost:schema:\(type)::1.0" else {
            throw refuse("documentIdentification.standard does not name the \(type) schema")
        }
        guard let messageId = identification["instanceIdentifier"] as? String, UUID(uuidString: messageId) != nil else {
            throw refuse("documentIdentification.instanceIdentifier must be a UUID")
        }
        let scopes = ((header["businessScope"] as? [String: Any])?["scope"] as? [[String: Any]]) ?? []
        guard let scope = scopes.first(where: { $0["type"] as? String == "ConversationId" }),
              let conversationId = scope["instanceIdentifier"] as? String, !conversationId.isEmpty else {
            throw refuse("The forretningsmelding has no ConversationId scope")
        }
        guard scope["identifier"] as? String == "urn:fdc:digdir.no:2020:profile:egovernment:innbyggerpost:\(type):ver1.0" else {
            throw refuse("The ConversationId scope's identifier must be the \(type) process")
        }
        let receiver = ((header["receiver"] as? [[String: Any]])?.first?["identifier"] as? [String: Any])?["value"] as? String ?? ""
        guard let body = document[type] as? [String: Any] else { throw refuse("The forretningsmelding has no '\(type)' object") }
        let avsender = body["avsender"] as? [String: Any] ?? [:]
        let virksomhet = (avsender["virksomhetsidentifikator"] as? [String: Any])?["value"] as? String ?? ""
        guard virksomhet.range(of: #"^[0-9]{4}:\w{1,35}$"#, options: .regularExpression) != nil else {
            throw refuse("\(type).avsender.virksomhetsidentifikator.value must be <ICD>:<number>, was '\(virksomhet)'")
        }
        let fingerprint = body["dokumentpakkefingeravtrykk"] as? [String: Any] ?? [:]
        guard fingerprint["digestMethod"] as? String == "http://www.w3.org/2001/04/xmlenc#sha256",
              fingerprint["digestValue"] as? String == Data(SHA256.hash(data: package)).base64EncodedString() else {
            throw refuse("\(type).dokumentpakkefingeravtrykk is not the SHA-256 of the dokumentpakke")
        }
        guard let token = body["maskinportentoken"] as? String, token == bearerToken else {
            throw refuse("\(type).maskinportentoken must be the bearer token of the request")
        }
        if type == "digital" { try checkDigital(body) } else { try checkUtskrift(body) }
        return Fields(messageId: messageId, conversationId: conversationId, type: type,
                      avsenderOrganisation: String(virksomhet.split(separator: ":").last ?? ""),
                      avsenderidentifikator: avsender["avsenderidentifikator"] as? String,
                      providerOrganisation: String(receiver.split(separator: ":").last ?? ""))
    }

    private func checkDigital(_ body: [String: Any]) throws {
        guard let mailbox = (body["mottaker"] as? [String: Any])?["postkasseadresse"] as? String, !mailbox.isEmpty else {
            throw Refusal(description: "digital.mottaker.postkasseadresse is required")
        }
        guard let level = body["sikkerhetsnivaa"] as? Int, level == 3 || level == 4 else {
            throw Refusal(description: "digital.sikkerhetsnivaa must be 3 or 4")
        }
        guard let title = body["ikkesensitivtittel"] as? String, (1...255).contains(title.count) else {
            throw Refusal(description: "digital.ikkesensitivtittel must have 1-255 characters")
        }
        guard body["spraak"] is String else { throw Refusal(description: "digital.spraak is required") }
    }

    private func checkUtskrift(_ body: [String: Any]) throws {
        func address(_ value: Any?, _ path: String) throws {
            guard let address = value as? [String: Any], address["navn"] is String, address["adresselinje1"] is String,
                  (address["postnummer"] is String && address["poststed"] is String) || address["land"] is String else {
                throw Refusal(description: "\(path) needs navn, adresselinje1, and postnummer and poststed (or land)")
            }
            if let postnummer = address["postnummer"] as? String, postnummer.range(of: #"^\d{4}$"#, options: .regularExpression) == nil {
                throw Refusal(description: "\(path).postnummer must be four digits, was '\(postnummer)'")
            }
        }
        try address(body["mottaker"], "utskrift.mottaker")
        let retur = body["retur"] as? [String: Any] ?? [:]
        try address(retur["mottaker"], "utskrift.retur.mottaker")
        guard ["DIREKTE_RETUR", "MAKULERING_MED_MELDING"].contains(retur["returposthaandtering"] as? String ?? "") else {
            throw Refusal(description: "utskrift.retur.returposthaandtering must be DIREKTE_RETUR or MAKULERING_MED_MELDING")
        }
        guard ["SORT_HVIT", "FARGE"].contains(body["utskriftstype"] as? String ?? "") else {
            throw Refusal(description: "utskrift.utskriftstype must be SORT_HVIT or FARGE")
        }
    }
}
