import Crypto
import Foundation

/// The Azure Service Bus shared access signature DPE sends with every request (`internals.md` §2.5).
///
/// The `Authorization` header is `SharedAccessSignature sr=<sr>&sig=<sig>&se=<se>&skn=<key name>` where
/// - `sr` is the resource URI (scheme, host, queue path, no query) form-encoded as Java's `URLEncoder` does it;
/// - `se` is the expiry in epoch seconds, `validity` (20 s, as upstream) after now;
/// - `sig` is Base64(HMAC-SHA256(key, `sr` + "\n" + `se`)), form-encoded the same way.
///
/// The key is the shared access key's text as given (its UTF-8 bytes are the HMAC key; it is not Base64-decoded),
/// which is what the upstream and Azure's own SDKs do.
public struct SharedAccessSignature: Sendable {
    /// `difi.move.nextmove.serviceBus.sasKeyName`, e.g. `MoveDPE-pilotPolicy`.
    public var keyName: String
    /// The shared access key (from the registry's `/sastoken` or `difi.move.nextmove.serviceBus.sasToken`).
    public var key: String
    /// How long a signature is valid. The upstream signs every request with now + 20 s.
    public var validity: TimeInterval

    public init(keyName: String, key: String, validity: TimeInterval = 20) {
        self.keyName = keyName
        self.key = key
        self.validity = validity
    }

    /// The `Authorization` header value for a request to `resourceURI` (the request URL without its query).
    ///
    /// The upstream computes `se` as `Math.round(millis / 1000f)`, whose float rounding moves it by up to a minute;
    /// we write the exact second, which Azure accepts the same way.
    public func authorizationHeader(resourceURI: String, now: Date) -> String {
        let expiry = Int64((now.timeIntervalSince1970 + validity).rounded())
        let encodedResource = Self.formEncode(resourceURI)
        let signature = Self.signature(stringToSign: "\(encodedResource)\n\(expiry)", key: key)
        return "SharedAccessSignature sr=\(encodedResource)&sig=\(Self.formEncode(signature))&se=\(expiry)&skn=\(keyName)"
    }

    /// Base64(HMAC-SHA256(key, stringToSign)), both as UTF-8.
    public static func signature(stringToSign: String, key: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: SymmetricKey(data: Data(key.utf8)))
        return Data(mac).base64EncodedString()
    }

    /// `application/x-www-form-urlencoded` as `java.net.URLEncoder.encode(_, "UTF-8")` writes it: letters, digits
    /// and `.-*_` stay, a space becomes `+`, every other UTF-8 byte becomes `%XX` (upper-case hex). Azure compares
    /// the signature over the `sr` exactly as sent, so the encoding must match the upstream's byte for byte.
    public static func formEncode(_ value: String) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count * 3)
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "*"), UInt8(ascii: "_"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: " "):
                out.append("+")
            default:
                out.append("%")
                out.append(Self.hexDigits[Int(byte >> 4)])
                out.append(Self.hexDigits[Int(byte & 0x0F)])
            }
        }
        return out
    }

    private static let hexDigits: [Character] = Array("0123456789ABCDEF")
}
