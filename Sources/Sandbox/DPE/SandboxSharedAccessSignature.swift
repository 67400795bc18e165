import Crypto
import Foundation

/// Checks an Azure Service Bus `Authorization: SharedAccessSignature sr=…&sig=…&se=…&skn=…` header the way the
/// namespace does: the key name is known, the signature is HMAC-SHA256 with that key over `<sr as sent>\n<se>`,
/// the expiry has not passed, and the signed resource is a prefix of the requested URL.
///
/// Written apart from the client's signer on purpose (the sandbox does not import the client), so each checks the
/// other.
enum SandboxSharedAccessSignature {
    struct Rejection: Error, Equatable, CustomStringConvertible {
        var description: String
    }

    /// - Parameters:
    ///   - requestURL: `http://<host>/<path>` of the request, without its query.
    ///   - clockSkew: how far in the past `se` may lie and still be accepted (the upstream's float rounding of `se`
    ///     can put it up to a minute early).
    static func verify(header: String?, requestURL: String, keyName: String, key: String, now: Date,
                       clockSkew: TimeInterval) throws(Rejection) {
        let scheme = "SharedAccessSignature "
        guard let header, header.hasPrefix(scheme) else {
            throw Rejection(description: "MalformedToken: the Authorization header is not a SharedAccessSignature.")
        }
        var fields: [String: String] = [:]
        for pair in header.dropFirst(scheme.count).split(separator: "&") {
            guard let equals = pair.firstIndex(of: "=") else { continue }
            fields[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
        }
        guard let sr = fields["sr"], let sig = fields["sig"], let se = fields["se"], let skn = fields["skn"] else {
            throw Rejection(description: "MalformedToken: the signature must carry sr, sig, se and skn.")
        }
        guard skn == keyName else {
            throw Rejection(description: "InvalidSignature: the key name '\(skn)' is not known on this namespace.")
        }
        guard let expiry = TimeInterval(se) else { throw Rejection(description: "MalformedToken: se '\(se)' is not a number.") }
        guard expiry + clockSkew >= now.timeIntervalSince1970 else {
            throw Rejection(description: "ExpiredToken: the token expired at \(Int64(expiry)) (now \(Int64(now.timeIntervalSince1970))).")
        }
        let expected = Data(HMAC<SHA256>.authenticationCode(for: Data("\(sr)\n\(se)".utf8), using: SymmetricKey(data: Data(key.utf8))))
        guard let given = Data(base64Encoded: formDecode(sig)), given.count == expected.count,
              zip(given, expected).reduce(UInt8(0), { $0 | ($1.0 ^ $1.1) }) == 0 else {
            throw Rejection(description: "InvalidSignature: the token's signature does not match the key '\(keyName)'.")
        }
        let resource = formDecode(sr).lowercased()
        guard requestURL.lowercased().hasPrefix(resource) else {
            throw Rejection(description: "InvalidAudience: the token is for '\(formDecode(sr))', not for '\(requestURL)'.")
        }
    }

    /// `application/x-www-form-urlencoded` decoding: `+` is a space, `%XX` a byte.
    static func formDecode(_ value: String) -> String {
        value.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? value
    }
}
