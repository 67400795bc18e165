import Foundation
import TestTools
import Testing
@testable import Packaging

@Suite("JWS and the Maskinporten JWT grant")
struct JWSTests {
    @Test("python's cryptography verifies our grant with the x5c certificate; claims and lifetime are right")
    func grantVerifiesIndependently() throws {
        let (_, identity) = try SharedPKI.rsa2048
        let now = Date(timeIntervalSince1970: 1_790_000_000)
        let grant = MaskinportenGrant(audience: "https://test.maskinporten.no/", issuer: "MOVE_IP_910075918",
                                      scopes: ["altinn:broker.read", "altinn:broker.write"],
                                      authorizationDetailsJSON: Data(#"[{"type":"urn:altinn:systemuser","systemuser_org":{"authority":"iso6523-actorid-upis","ID":"0192:910075918"}}]"#.utf8))
        let jwt = try grant.signedJWT(identity: identity, now: now)
        let script = """
        import sys, json, base64
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import padding
        def d(s): return base64.urlsafe_b64decode(s + '=' * (-len(s) % 4))
        h, p, s = sys.stdin.read().strip().split('.')
        header = json.loads(d(h))
        cert = x509.load_der_x509_certificate(base64.b64decode(header['x5c'][0]))
        cert.public_key().verify(d(s), (h + '.' + p).encode(), padding.PKCS1v15(), hashes.SHA256())
        claims = json.loads(d(p))
        print(json.dumps({'alg': header['alg'], 'claims': claims}))
        """
        let scriptURL = try TemporaryDirectory()
        try Data(script.utf8).write(to: scriptURL.file("verify.py"))
        let output = try ExternalTool.run("python3", [scriptURL.path("verify.py")], input: Data(jwt.utf8))
        let result = try JSONSerialization.jsonObject(with: output) as! [String: Any]
        let claims = result["claims"] as! [String: Any]
        #expect(result["alg"] as? String == "RS256")
        #expect(claims["aud"] as? String == "https://test.maskinporten.no/")
        #expect(claims["iss"] as? String == "MOVE_IP_910075918")
        #expect(claims["scope"] as? String == "altinn:broker.read altinn:broker.write")
        #expect(claims["iat"] as? Int == 1_790_000_000)
        #expect(claims["exp"] as? Int == 1_790_000_120)
        #expect((claims["jti"] as? String)?.count == 36)
        #expect((claims["authorization_details"] as? [[String: Any]])?.first?["type"] as? String == "urn:altinn:systemuser")
    }

    /// A JWK set and tokens made by python's cryptography.
    func pythonTokens() throws -> (jwks: Data, tokens: [String: String]) {
        let script = """
        import json, base64
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import rsa, padding
        def e(b): return base64.urlsafe_b64encode(b).rstrip(b'=').decode()
        def i(n): return e(n.to_bytes((n.bit_length() + 7) // 8, 'big'))
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pub = key.public_key().public_numbers()
        jwks = {'keys': [{'kty': 'EC', 'kid': 'ec'}, {'kty': 'RSA', 'kid': 'sr-1', 'n': i(pub.n), 'e': i(pub.e), 'use': 'sig'}]}
        payload = e(json.dumps({'identifier': '910075918', 'process': 'urn:no:difi:profile:arkivmelding:administrasjon:ver1.0'}).encode())
        out = {}
        for alg, kid, pad in [('RS256', 'sr-1', padding.PKCS1v15()), ('PS256', 'sr-1', padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)), ('RS256', 'other', padding.PKCS1v15())]:
            h = e(json.dumps({'alg': alg, 'kid': kid}).encode())
            s = key.sign((h + '.' + payload).encode(), pad, hashes.SHA256())
            out[alg + '-' + kid] = h + '.' + payload + '.' + e(s)
        print(json.dumps({'jwks': jwks, 'tokens': out}))
        """
        let output = try ExternalTool.run("python3", ["-"], input: Data(script.utf8))
        let object = try JSONSerialization.jsonObject(with: output) as! [String: Any]
        return (try JSONSerialization.data(withJSONObject: object["jwks"]!), object["tokens"] as! [String: String])
    }

    @Test("RS256 and PS256 tokens from python verify against a JWK set; tampering and unknown kid are named")
    func verifyAgainstJWKSet() throws {
        let (jwks, tokens) = try pythonTokens()
        let verifier = JWSVerifier(keySet: try JWKSet(json: jwks))
        #expect(verifier.keySet.keys.count == 1)
        for name in ["RS256-sr-1", "PS256-sr-1"] {
            let payload = try verifier.verify(tokens[name]!)
            #expect(String(decoding: payload, as: UTF8.self).contains("910075918"))
        }
        let unknown = #expect(throws: JWSError.self) { try verifier.verify(tokens["RS256-other"]!) }
        #expect(unknown == .unknownKeyID("other", available: ["sr-1"]))
        #expect(unknown?.description.contains("not in the JWK set") == true)
        var parts = tokens["RS256-sr-1"]!.split(separator: ".").map(String.init)
        parts[1] = Base64URL.encode(Data(#"{"identifier":"999999999"}"#.utf8))
        #expect(throws: JWSError.badSignature(keyID: "sr-1")) { try verifier.verify(parts.joined(separator: ".")) }
        #expect(throws: JWSError.unsupportedAlgorithm("none")) {
            try verifier.verify(Base64URL.encode(Data(#"{"alg":"none"}"#.utf8)) + "." + parts[1] + ".")
        }
    }

    @Test("our grant verifies with our own verifier via a JWK set made from the certificate")
    func roundTrip() throws {
        let (_, identity) = try SharedPKI.rsa2048
        let jwt = try MaskinportenGrant(audience: "a", issuer: "i", scopes: ["s"]).signedJWT(signingKey: identity.signingKey, keyID: "k1", now: Date())
        let verifier = JWSVerifier(keySet: JWKSet(keys: [.init(keyID: "k1", algorithm: "RS256", publicKey: identity.signingKey.publicKey)]))
        #expect(try verifier.verify(jwt).count > 0)
        #expect(MaskinportenGrant.tokenRequestBody(assertion: "x.y.z").hasPrefix("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=x.y.z"))
    }
}
