import Foundation

/// The keystore formats of `difi.move.org.keystore.type`.
public enum KeystoreType: String, Sendable, CaseIterable {
    case pkcs12 = "PKCS12"
    case jks = "JKS"
    case pem = "PEM"

    /// Reads the configuration value, ignoring case ("pkcs12", "PKCS12", "jks", "pem").
    public init?(configurationValue: String) {
        self.init(rawValue: configurationValue.uppercased())
    }
}

/// Opens keystores: PKCS#12 (OpenSSL 3, OpenSSL legacy, Java keytool), JKS and PEM.
public enum Keystore {
    /// Loads the key entry `alias` (any case) from keystore bytes.
    ///
    /// - Parameters:
    ///   - data: the file's bytes. For `.pem`, the private key and the certificate chain (two files may be concatenated).
    ///   - type: the format. A JKS setting also opens PKCS#12 files, as Java does.
    ///   - password: the store password, also used for the key.
    ///   - alias: the entry; `nil` takes the first key entry.
    public static func load(from data: Data, type: KeystoreType, password: String, alias: String?) throws -> PrivateKeyAndCertificate {
        let bytes = Array(data)
        let entry: KeystoreEntry
        switch type {
        case .pem:
            entry = try PEMKeystore.entry(String(decoding: bytes, as: UTF8.self), password: password, alias: alias)
        case .jks where JKSKeystore.looksLikeJKS(bytes) || bytes.starts(with: [0xCE, 0xCE, 0xCE, 0xCE]):
            entry = try JKSKeystore(bytes, password: password).entry(alias: alias)
        case .jks, .pkcs12:
            if JKSKeystore.looksLikeJKS(bytes) {
                throw KeystoreError.corrupt("the file is a JKS keystore but the type is PKCS12; set difi.move.org.keystore.type=JKS")
            }
            entry = try PKCS12Keystore(bytes, password: password).entry(alias: alias)
        }
        return try entry.resolve()
    }

    /// Loads a PEM private key and a PEM certificate chain given as two texts.
    public static func loadPEM(privateKey: Data, certificateChain: Data, password: String = "", alias: String? = nil) throws -> PrivateKeyAndCertificate {
        try load(from: privateKey + Data("\n".utf8) + certificateChain, type: .pem, password: password, alias: alias)
    }

    /// The aliases of the key entries (for `doctor` and error messages). PEM has one unnamed entry, "pem".
    public static func aliases(in data: Data, type: KeystoreType, password: String) throws -> [String] {
        let bytes = Array(data)
        switch type {
        case .pem:
            return try PEMKeystore.blocks(in: String(decoding: bytes, as: UTF8.self)).contains { $0.label.hasSuffix("PRIVATE KEY") } ? ["pem"] : []
        case .jks where JKSKeystore.looksLikeJKS(bytes):
            return try JKSKeystore(bytes, password: password).keyEntries.map(\.alias)
        case .jks, .pkcs12:
            return try PKCS12Keystore(bytes, password: password).keyAliases
        }
    }

    /// Reads a keystore file.
    public static func load(contentsOf url: URL, type: KeystoreType, password: String, alias: String?) throws -> PrivateKeyAndCertificate {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw KeystoreError.corrupt("cannot read \(url.path): \(error.localizedDescription)")
        }
        return try load(from: data, type: type, password: password, alias: alias)
    }
}
