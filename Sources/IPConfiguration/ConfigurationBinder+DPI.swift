import Foundation

/// `difi.move.dpi.*` (`internals.md` §6.8).
extension ConfigurationBinder {
    mutating func bindDPI(enabled: Bool, organisationKeystore: IntegrasjonspunktConfiguration.Keystore,
                          oidc: IntegrasjonspunktConfiguration.OIDC) -> IntegrasjonspunktConfiguration.DPI {
        let prefix = "difi.move.dpi"
        var dpi = IntegrasjonspunktConfiguration.DPI()
        dpi.uri = url("\(prefix).uri").map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 } ?? dpi.uri
        dpi.krrPrintURL = url("\(prefix).krr-print-url") ?? dpi.krrPrintURL
        dpi.mpcID = string("\(prefix).mpcId") ?? dpi.mpcID
        dpi.mpcConcurrency = int("\(prefix).mpcConcurrency", default: 1, range: 1...100,
                                 fix: "Use the number of channels (MPCs) to spread messages over, 1 to 100.")
        dpi.mpcIDList = raw.list("\(prefix).mpcIdListe")?.map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
        dpi.avsenderidentifikatorList = (raw.list("\(prefix).avsenderidentifikatorListe") ?? [])
            .map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
        dpi.pollWithoutAvsenderidentifikator = bool("\(prefix).pollWithoutAvsenderidentifikator", default: true)
        dpi.language = string("\(prefix).language") ?? dpi.language
        dpi.priority = string("\(prefix).priority") ?? dpi.priority
        dpi.printSettings.returnType = string("\(prefix).printSettings.returnType") ?? dpi.printSettings.returnType
        dpi.printSettings.inkType = string("\(prefix).printSettings.inkType") ?? dpi.printSettings.inkType
        dpi.printSettings.shippingType = string("\(prefix).printSettings.shippingType") ?? dpi.printSettings.shippingType
        dpi.clientMaxConnectionPoolSize = int("\(prefix).clientMaxConnectionPoolSize", default: 10, range: 1...1000)
        dpi.connectTimeout = duration("\(prefix).timeout.connect", default: .seconds(5))
        dpi.readTimeout = duration("\(prefix).timeout.read", default: .seconds(60))
        dpi.writeTimeout = duration("\(prefix).timeout.write", default: .seconds(60))
        dpi.temporaryFileThreshold = dataSize("\(prefix).temporary-file-threshold", default: 1_000_000)
        dpi.temporaryFileDirectory = string("\(prefix).temporary-file-directory").map { absolute(stripFilePrefix($0)) }
        dpi.initialBufferSize = int("\(prefix).initialBufferSize", default: 100_000, range: 0...Int.max)
        dpi.pollingRate = duration("\(prefix).pollingrate", default: .seconds(10))
        dpi.pageSize = int("\(prefix).pageSize", default: 100, range: 1...10_000,
                           fix: "Use the number of receipts to fetch per poll, 1 to 10000 (default 100).")
        dpi.keystore = bindDPIKeystore(prefix: "\(prefix).keystore", fallback: organisationKeystore, enabled: enabled)
        dpi.oidc = bindDPIOIDC(prefix: "\(prefix).oidc", oidc: oidc, keystore: dpi.keystore, enabled: enabled)
        dpi.trustedCertificatesPath = file("\(prefix).certificate.trusted-certificates", required: false,
                                           fix: "Give the path of a PEM file with the extra root certificates, or remove the key.")
        if let text = string("\(prefix).certificate.mode"),
           let mode = IntegrasjonspunktConfiguration.DPI.CertificateMode(rawValue: text.uppercased()) {
            dpi.certificateMode = mode
        }
        if enabled { checkDPI(dpi, prefix: prefix) }
        return dpi
    }

    /// The checks that matter only when DPI is switched on: values the channel cannot work with.
    private mutating func checkDPI(_ dpi: IntegrasjonspunktConfiguration.DPI, prefix: String) {
        let modeKey = "\(prefix).certificate.mode"
        if let text = string(modeKey), IntegrasjonspunktConfiguration.DPI.CertificateMode(rawValue: text.uppercased()) == nil {
            if text.uppercased() == "SELF_SIGNED" {
                problem(modeKey, text, "is not supported: any self-signed certificate would be trusted to deliver receipts",
                        "Use TEST, and name the receipt signer's root certificate in \(prefix).certificate.trusted-certificates.")
            } else {
                problem(modeKey, text, "is not a certificate mode",
                        "Use TEST (test certificates, the default) or PRODUCTION.")
            }
        }
        if let c2Type = string("\(prefix).c2-type"), c2Type.lowercased() != "web" {
            problem("\(prefix).c2-type", c2Type, "is not supported: messages always go to the corner-2 REST API",
                    "Remove the key (or set it to web) and point \(prefix).uri at the corner 2; the sandbox offers one for tests.")
        }
        if let receiptType = string("\(prefix).receipt-type"), receiptType.lowercased() != "json" {
            problem("\(prefix).receipt-type", receiptType, "is not supported: receipts are JSON (signed JWS) since the ebMS API was retired",
                    "Remove the key or set it to json.")
        }
        let language = dpi.language
        if language.count != 2 || !language.allSatisfy({ $0.isASCII && $0.isLetter }) {
            problem("\(prefix).language", language, "is not a two-letter language code",
                    "Use an ISO 639-1 code such as NO or EN.")
        }
        if dpi.channels.contains(where: { $0.isEmpty || $0.contains(where: \.isWhitespace) }) {
            problem("\(prefix).mpcIdListe", dpi.channels.joined(separator: ","), "holds an empty or blank channel name",
                    "List channel names separated by commas, without spaces, e.g. my_mpc-0,my_mpc-1.")
        }
        if dpi.pollingRate <= .zero {
            problem("\(prefix).pollingrate", raw.string("\(prefix).pollingrate"), "must be positive",
                    "Give the interval between receipt polls, e.g. 10000 (milliseconds) or 10s.")
        }
        if !dpi.oidc.enabled && dpi.oidc.mockToken == nil {
            problem("\(prefix).oidc.mock.token", nil, "is missing while \(prefix).oidc.enable=false",
                    "Set \(prefix).oidc.enable=true to get tokens from Maskinporten, or give the fixed token to send in \(prefix).oidc.mock.token.")
        }
    }

    /// `difi.move.dpi.keystore.*` key by key, each falling back to the organisation keystore.
    private mutating func bindDPIKeystore(prefix: String, fallback: IntegrasjonspunktConfiguration.Keystore,
                                          enabled: Bool) -> IntegrasjonspunktConfiguration.Keystore {
        var keystore = fallback
        if let text = string("\(prefix).type") {
            if let type = IntegrasjonspunktConfiguration.Keystore.StoreType(rawValue: text.uppercased()) {
                keystore.type = type
            } else {
                problem("\(prefix).type", text, "is not a supported keystore type",
                        "Use PKCS12, JKS or PEM, or remove the key to use the organisation keystore's type.")
            }
        }
        if userSet("\(prefix).path") {
            keystore.path = file("\(prefix).path", required: false,
                                 fix: "Give the DPI keystore's path, or remove the key to use difi.move.org.keystore.path.")
                ?? keystore.path
        }
        keystore.alias = string("\(prefix).alias") ?? keystore.alias
        keystore.password = secret("\(prefix).password") ?? keystore.password
        if keystore.type == .pem, let certificate = string("\(prefix).certificate") {
            keystore.certificatePath = absolute(stripFilePrefix(certificate))
        }
        return keystore
    }

    private mutating func bindDPIOIDC(prefix: String, oidc: IntegrasjonspunktConfiguration.OIDC,
                                      keystore: IntegrasjonspunktConfiguration.Keystore,
                                      enabled: Bool) -> IntegrasjonspunktConfiguration.DPI.OIDC {
        var result = IntegrasjonspunktConfiguration.DPI.OIDC()
        result.enabled = bool("\(prefix).enable", default: oidc.enabled)
        result.url = url("\(prefix).url") ?? oidc.url
        result.audience = string("\(prefix).audience") ?? oidc.audience
        result.clientId = string("\(prefix).clientId") ?? oidc.clientId
        result.scopes = (raw.list("\(prefix).scopes") ?? ["digitalpostinnbygger:send"])
            .map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
        result.keystore = bindDPIKeystore(prefix: "\(prefix).keystore", fallback: keystore, enabled: enabled)
        result.mockToken = secret("\(prefix).mock.token")
        return result
    }
}
