import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import IPConfiguration
import Logging
import Packaging

/// HTTP or HTTPS for the API (`difi.ssl.*`). The TLS key store is read with the same loader as the
/// virksomhetssertifikat, so PKCS#12, JKS and PEM all work.
enum APITransport {
    static func server(_ configuration: IntegrasjonspunktConfiguration, logger: Logger) throws -> HTTPServerBuilder {
        let ssl = configuration.ssl
        guard ssl.enabled else { return .http1() }
        guard let path = ssl.keyStore else {
            throw StartupError("difi.ssl.enabled=true but difi.ssl.key-store is not set. Set it (with difi.ssl.key-store-password and difi.ssl.key-alias), or set difi.ssl.enabled=false.")
        }
        let identity: PrivateKeyAndCertificate
        do {
            let type = KeystoreType(configurationValue: ssl.keyStoreType) ?? .pkcs12
            identity = try Keystore.load(contentsOf: URL(fileURLWithPath: path.hasPrefix("file:") ? String(path.dropFirst(5)) : path),
                                         type: type, password: ssl.keyStorePassword ?? "", alias: ssl.keyAlias)
        } catch {
            throw StartupError("The API's TLS key store difi.ssl.key-store=\(path) cannot be used: \(error)")
        }
        do {
            let chain = try identity.certificateChainDER.map { try NIOSSLCertificate(bytes: [UInt8]($0), format: .der) }
            let key = try NIOSSLPrivateKey(bytes: [UInt8](identity.privateKeyDER), format: .der)
            let tls = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) },
                                                               privateKey: .privateKey(key))
            logger.info("The API is served over HTTPS with the certificate '\(identity.certificate.subject)'.")
            return try .tls(.http1(), tlsConfiguration: tls)
        } catch {
            throw StartupError("The API's TLS certificate from difi.ssl.key-store=\(path) was refused by the TLS library: \(error)")
        }
    }
}
