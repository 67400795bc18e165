import Foundation

/// Why a keystore could not be used, written for the person who configured it.
public enum KeystoreError: Error, Sendable, Equatable, CustomStringConvertible {
    case wrongPassword(detail: String)
    case aliasNotFound(alias: String, available: [String])
    case noPrivateKey(available: [String])
    case keyDoesNotMatchCertificate(alias: String)
    case certificateExpired(subject: String, notAfter: Date, now: Date)
    case certificateNotYetValid(subject: String, notBefore: Date, now: Date)
    case unsupportedAlgorithm(oid: String, context: String)
    case unsupportedKey(String)
    case corrupt(String)

    public var description: String {
        switch self {
        case .wrongPassword(let detail):
            return "The keystore password is wrong (\(detail)). Check difi.move.org.keystore.password; the same password is used for the store and the key."
        case .aliasNotFound(let alias, let available):
            return "The keystore has no entry with alias '\(alias)'. Aliases in the keystore: \(Self.list(available)). Set difi.move.org.keystore.alias to one of them."
        case .noPrivateKey(let available):
            return "The keystore holds no private key (entries: \(Self.list(available))). Use a keystore that contains the virksomhetssertifikat's private key."
        case .keyDoesNotMatchCertificate(let alias):
            return "The private key of '\(alias)' does not belong to its certificate. Re-export the key together with its own certificate."
        case .certificateExpired(let subject, let notAfter, let now):
            return "The certificate '\(subject)' expired at \(Self.iso(notAfter)) (now \(Self.iso(now))). Renew the virksomhetssertifikat and update the keystore. Contact servicedesk@digdir.no if needed."
        case .certificateNotYetValid(let subject, let notBefore, let now):
            return "The certificate '\(subject)' is not valid before \(Self.iso(notBefore)) (now \(Self.iso(now))). Check the system clock or wait until the certificate becomes valid."
        case .unsupportedAlgorithm(let oid, let context):
            return "Unsupported algorithm \(AlgorithmNames.name(of: oid)) (OID \(oid)) for \(context). Re-create the keystore with PBES2/AES-256 (OpenSSL 3 default) or 3DES."
        case .unsupportedKey(let detail):
            return "Unsupported private key: \(detail). Use an RSA key of 2048, 3072 or 4096 bits."
        case .corrupt(let detail):
            return "The keystore file is damaged or not of the configured type (\(detail)). Check difi.move.org.keystore.path and difi.move.org.keystore.type."
        }
    }

    static func list(_ names: [String]) -> String { names.isEmpty ? "none" : names.map { "'\($0)'" }.joined(separator: ", ") }
    static func iso(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }
}

/// Human names for the OIDs that appear in error messages.
enum AlgorithmNames {
    static func name(of oid: String) -> String {
        let names: [String: String] = [
            OID.pbeSHA3DES: "pbeWithSHAAnd3-KeyTripleDES-CBC", OID.pbeSHARC2_40: "pbeWithSHAAnd40BitRC2-CBC",
            OID.pbeSHARC2_128: "pbeWithSHAAnd128BitRC2-CBC", OID.pbes2: "PBES2", OID.pbkdf2: "PBKDF2",
            "1.2.840.113549.1.12.1.1": "pbeWithSHAAnd128BitRC4", "1.2.840.113549.1.12.1.2": "pbeWithSHAAnd40BitRC4",
            "1.2.840.113549.1.12.1.4": "pbeWithSHAAnd2-KeyTripleDES-CBC", "1.2.840.113549.1.5.3": "pbeWithMD5AndDES-CBC",
            "1.2.840.113549.1.5.14": "PBMAC1", "1.3.14.3.2.7": "DES-CBC", OID.desEDE3CBC: "DES-EDE3-CBC",
            "1.2.840.10045.2.1": "EC public key", "1.3.101.112": "Ed25519", "2.16.840.1.101.3.4.1.46": "AES-256-GCM",
            "1.2.840.113549.2.5": "MD5", OID.sha1: "SHA-1", OID.sha256: "SHA-256",
        ]
        return names[oid] ?? "unknown"
    }
}
