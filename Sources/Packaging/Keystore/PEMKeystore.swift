import Foundation

/// Reads PEM text: a private key (PKCS#8, PKCS#1 or encrypted PKCS#8) and certificates, in one
/// text or in two files joined together. The first certificate that matches the key is its own.
enum PEMKeystore {
    struct Block { var label: String; var der: [UInt8] }

    static func blocks(in text: String) throws -> [Block] {
        var result: [Block] = []
        var label: String?
        var body = ""
        for line in text.split(whereSeparator: \.isNewline).map({ $0.trimmingCharacters(in: .whitespaces) }) {
            if line.hasPrefix("-----BEGIN "), line.hasSuffix("-----") {
                label = String(line.dropFirst(11).dropLast(5)); body = ""
            } else if line.hasPrefix("-----END "), let current = label {
                guard let der = Data(base64Encoded: body) else { throw KeystoreError.corrupt("invalid base64 in PEM block \(current)") }
                result.append(Block(label: current, der: Array(der)))
                label = nil
            } else if label != nil, !line.contains(":") {
                body += line
            } else if label != nil, line.hasPrefix("Proc-Type") {
                throw KeystoreError.unsupportedAlgorithm(oid: "OpenSSL traditional PEM encryption", context: "the PEM private key; convert it with openssl pkcs8 -topk8")
            }
        }
        return result
    }

    static func entry(_ text: String, password: String, alias: String?) throws -> KeystoreEntry {
        let blocks = try blocks(in: text)
        let certificates = blocks.filter { $0.label == "CERTIFICATE" }.map(\.der)
        guard let keyBlock = blocks.first(where: { $0.label.hasSuffix("PRIVATE KEY") }) else {
            throw KeystoreError.noPrivateKey(available: [])
        }
        var key = keyBlock.der
        switch keyBlock.label {
        case "ENCRYPTED PRIVATE KEY":
            let info = try BERParser.parse(key)
            key = try PasswordBasedDecryption.decrypt(try info.child(1).octets, algorithm: try info.child(0),
                                                      password: password, context: "the PEM private key")
        case "PRIVATE KEY", "RSA PRIVATE KEY":
            break
        default:
            throw KeystoreError.unsupportedKey("PEM block '\(keyBlock.label)'")
        }
        guard !certificates.isEmpty else { throw KeystoreError.corrupt("the PEM text has a key but no CERTIFICATE block") }
        return KeystoreEntry(alias: alias ?? "pem", privateKeyInfo: key, leafCertificate: nil, otherCertificates: certificates)
    }
}
