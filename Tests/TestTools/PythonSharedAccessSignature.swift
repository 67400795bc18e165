import Foundation

/// An Azure Service Bus shared access signature computed by Python's `hmac`, `base64` and `urllib.parse`, apart
/// from the gateway's Swift signer and the sandbox's checker: the worked example both are held against.
public enum PythonSharedAccessSignature {
    /// Java's `URLEncoder` keeps `*` and encodes `~`; Python's `quote_plus` does the reverse by default.
    static let script = """
        import base64, hashlib, hmac, sys, urllib.parse
        uri, name, key, se = sys.argv[1:5]
        def enc(s): return urllib.parse.quote_plus(s, safe='*').replace('~', '%7E')
        sr = enc(uri)
        sig = base64.b64encode(hmac.new(key.encode('utf-8'), (sr + '\\n' + se).encode('utf-8'), hashlib.sha256).digest()).decode()
        sys.stdout.write('SharedAccessSignature sr=' + sr + '&sig=' + enc(sig) + '&se=' + se + '&skn=' + name)
        """

    /// `SharedAccessSignature sr=…&sig=…&se=<expiry>&skn=<keyName>` for `resourceURI`.
    public static func header(resourceURI: String, keyName: String, key: String, expiry: Int64) throws -> String {
        let output = try ExternalTool.run("python3", ["-c", script, resourceURI, keyName, key, String(expiry)])
        return String(decoding: output, as: UTF8.self)
    }
}
