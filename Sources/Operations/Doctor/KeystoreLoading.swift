import Foundation
import IPConfiguration
import Packaging

/// Opens the keystore of `difi.move.org.keystore.*` (PKCS#12, JKS or PEM), as the integration point does at start-up.
public enum KeystoreLoading {
    public static func load(_ configuration: IntegrasjonspunktConfiguration) throws -> PrivateKeyAndCertificate {
        try load(configuration.org.keystore)
    }

    /// Opens any configured keystore (the DPI keystore of `difi.move.dpi.keystore.*`, …).
    public static func load(_ keystore: IntegrasjonspunktConfiguration.Keystore) throws -> PrivateKeyAndCertificate {
        if keystore.type == .pem {
            let key = try Data(contentsOf: URL(fileURLWithPath: keystore.path))
            let chain = try Data(contentsOf: URL(fileURLWithPath: keystore.certificatePath ?? ""))
            return try Keystore.loadPEM(privateKey: key, certificateChain: chain, password: keystore.password ?? "",
                                        alias: keystore.alias)
        }
        let type = KeystoreType(configurationValue: keystore.type.rawValue) ?? .pkcs12
        return try Keystore.load(contentsOf: URL(fileURLWithPath: keystore.path), type: type,
                                 password: keystore.password ?? "", alias: keystore.alias)
    }

    /// What to do about a keystore that does not open.
    public static func remedy(for error: any Error) -> String {
        if let error = error as? KeystoreError {
            switch error {
            case .wrongPassword: return "Check difi.move.org.keystore.password (the password of the keystore file)."
            case .aliasNotFound, .noPrivateKey: return "Check difi.move.org.keystore.alias; it must name an entry with a private key."
            case .keyDoesNotMatchCertificate: return "The private key and the certificate do not belong together; use the keystore you got with the certificate."
            case .certificateExpired, .certificateNotYetValid: return "Install a valid virksomhetssertifikat, and check the clock."
            case .unsupportedAlgorithm, .unsupportedKey, .corrupt: return "Check difi.move.org.keystore.type and that the file is the keystore (PKCS12, JKS or PEM) with an RSA key of 2048 bits or more."
            }
        }
        let text = "\(error)".lowercased()
        if text.contains("password") || text.contains("mac") || text.contains("integrity") || text.contains("decrypt") {
            return "Check difi.move.org.keystore.password (the password of the keystore file)."
        }
        if text.contains("alias") {
            return "Check difi.move.org.keystore.alias; it must name an entry with a private key."
        }
        if text.contains("match") {
            return "The private key and the certificate do not belong together; use the keystore you got with the certificate."
        }
        if text.contains("no such file") || text.contains("couldn’t be opened") || text.contains("could not be opened") || text.contains("doesn’t exist") {
            return "Check difi.move.org.keystore.path; the file must exist and be readable by the integration point."
        }
        return "Check difi.move.org.keystore.path, .type, .alias and .password."
    }
}
