import Channels
import Foundation
import Testing
import TestTools

@Suite("DPE: the Service Bus shared access signature")
struct DPESharedAccessSignatureTests {
    @Test("the Authorization header equals a worked example computed by Python's hmac, base64 and urllib",
          arguments: [
              ("https://efm-dpe-qa.servicebus.windows.net/nextbestqueue910075918innsyn/messages", "MoveDPE-pilotPolicy",
               "tWa0zL7wWbJ8Tq7kQ2rD3fXh9pN1sYcV4uE6mG5oI8A="),
              ("https://efm-dpe-prod.servicebus.windows.net/nextbestqueue910077473data/messages/5a1b2c3d/7f0e-11ee+lock~*x",
               "MoveDPE-prodPolicy", "a key with spaces, ø and / + ="),
              ("http://127.0.0.1:40123/nextbestqueue910075918innsyn/messages/head", "MoveDPE-pilotPolicy", "k"),
          ])
    func workedExample(resource: String, keyName: String, key: String) throws {
        let now = Date(timeIntervalSince1970: 1_767_225_600.4)
        let ours = SharedAccessSignature(keyName: keyName, key: key).authorizationHeader(resourceURI: resource, now: now)
        let python = try PythonSharedAccessSignature.header(resourceURI: resource, keyName: keyName, key: key, expiry: 1_767_225_620)
        #expect(ours == python)
        #expect(ours.contains("&se=1767225620&"), "now + 20 s, in whole seconds")
        #expect(ours.hasSuffix("&skn=\(keyName)"))
    }

    @Test("form encoding is Java's URLEncoder: letters, digits and .-*_ stay, space is +, the rest %XX upper case")
    func formEncoding() {
        #expect(SharedAccessSignature.formEncode("https://a.b/q-1_x*y.z") == "https%3A%2F%2Fa.b%2Fq-1_x*y.z")
        #expect(SharedAccessSignature.formEncode("a b~c+d/e=f") == "a+b%7Ec%2Bd%2Fe%3Df")
        #expect(SharedAccessSignature.formEncode("blåbær") == "bl%C3%A5b%C3%A6r")
    }

    @Test("the signature is Base64 of HMAC-SHA256 over the string to sign (RFC 4231 test case 2)")
    func hmacVector() {
        // RFC 4231 §4.3: key "Jefe", data "what do ya want for nothing?".
        let expected = Data([0x5b, 0xdc, 0xc1, 0x46, 0xbf, 0x60, 0x75, 0x4e, 0x6a, 0x04, 0x24, 0x26, 0x08, 0x95, 0x75, 0xc7,
                             0x5a, 0x00, 0x3f, 0x08, 0x9d, 0x27, 0x39, 0x83, 0x9d, 0xec, 0x58, 0xb9, 0x64, 0xec, 0x38, 0x43])
        #expect(SharedAccessSignature.signature(stringToSign: "what do ya want for nothing?", key: "Jefe") == expected.base64EncodedString())
    }
}
