import Foundation

/// The Service Bus body of a DPE message as the upstream integration point writes and reads it:
/// `{"sbd": {…}, "asic": "<Base64(Base64(CMS))>"}` (the upstream's `byte[] asic` already holds Base64 text, which
/// Jackson encodes once more), `asic` absent without files. Written apart from the gateway's own codec, so the
/// sandbox's eInnsyn checks what the gateway sends rather than agreeing with it by construction.
enum SandboxDPEPayload {
    struct Decoded {
        var sbd: [String: Any]
        var sbdJSON: Data
        var cms: Data?
    }

    struct Unreadable: Error, CustomStringConvertible {
        var description: String
    }

    static func encode(sbdJSON: Data, cms: Data?) throws -> Data {
        var object: [String: Any] = ["sbd": try JSONSerialization.jsonObject(with: sbdJSON)]
        if let cms { object["asic"] = Data(cms.base64EncodedString().utf8).base64EncodedString() }
        return try JSONSerialization.data(withJSONObject: object, options: [.withoutEscapingSlashes])
    }

    static func decode(_ body: Data) throws -> Decoded {
        guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else {
            throw Unreadable(description: "the body is not a JSON object")
        }
        guard let sbd = object["sbd"] as? [String: Any] else { throw Unreadable(description: "there is no \"sbd\" object") }
        let sbdJSON = try JSONSerialization.data(withJSONObject: sbd, options: [.withoutEscapingSlashes])
        guard let asic = object["asic"] as? String else { return Decoded(sbd: sbd, sbdJSON: sbdJSON, cms: nil) }
        guard let once = Data(base64Encoded: asic) else { throw Unreadable(description: "\"asic\" is not Base64") }
        // Base64 of Base64, as upstream writes it; a single encoding is read too.
        if once.first == 0x30 { return Decoded(sbd: sbd, sbdJSON: sbdJSON, cms: once) }
        guard let twice = Data(base64Encoded: once) else { throw Unreadable(description: "\"asic\" is not Base64 of Base64") }
        return Decoded(sbd: sbd, sbdJSON: sbdJSON, cms: twice)
    }
}
