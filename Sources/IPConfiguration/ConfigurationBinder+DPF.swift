import Foundation

/// The DPF section: `difi.move.fiks.*` (KS SvarUt and SvarInn).
extension ConfigurationBinder {
    mutating func bindFiks(enabled: Bool, orgNumber: String?, oidc: IntegrasjonspunktConfiguration.OIDC) -> IntegrasjonspunktConfiguration.Fiks {
        // With DPF off the keys are read (for the dump and for tools) but not judged: a half-written section of a
        // channel that is not used stops nothing.
        let problemsBefore = problems.count
        defer { if !enabled { problems.removeSubrange(problemsBefore...) } }
        var fiks = IntegrasjonspunktConfiguration.Fiks()
        fiks.kryptert = bool("difi.move.fiks.kryptert", default: true)
        fiks.keystore = bindFiksKeystore()
        fiks.pollingRate = duration("difi.move.fiks.pollingrate", default: .seconds(900))
        fiks.inn = bindSvarInn(dpfEnabled: enabled, orgNumber: orgNumber)
        fiks.ut = bindSvarUt(dpfEnabled: enabled, oidc: oidc)
        return fiks
    }

    private mutating func bindSvarInn(dpfEnabled: Bool, orgNumber: String?) -> IntegrasjonspunktConfiguration.Fiks.Inn {
        let prefix = "difi.move.fiks.inn"
        var inn = IntegrasjonspunktConfiguration.Fiks.Inn()
        inn.enabled = dpfEnabled && bool("\(prefix).enable", default: dpfEnabled)
        inn.baseURL = url("\(prefix).baseUrl") ?? inn.baseURL
        inn.credentials = credentials(prefix)
        inn.onBehalfOf = onBehalfOfCredentials(prefix)
        inn.process = string("\(prefix).process") ?? inn.process
        inn.documentType = string("\(prefix).document-type") ?? inn.documentType
        inn.connectTimeout = duration("\(prefix).connectTimeout", default: .seconds(10))
        inn.readTimeout = duration("\(prefix).readTimeout", default: .seconds(30))
        inn.organisationNumber = string("\(prefix).orgnr") ?? orgNumber ?? ""
        inn.fallbackSenderOrganisationNumber = organisationNumber("\(prefix).fallback-sender-org-nr") ?? "999999999"
        if inn.enabled && inn.credentials == nil && inn.onBehalfOf.isEmpty {
            problem("\(prefix).username", nil,
                    "is missing while SvarInn is on (difi.move.fiks.inn.enable defaults to difi.move.feature.enableDPF)",
                    "Set difi.move.fiks.inn.username and difi.move.fiks.inn.password to the SvarInn mottakersystem's login "
                        + "(or paaVegneAv.<orgnr>.username/password), or set difi.move.fiks.inn.enable=false to send only.")
        }
        return inn
    }

    private mutating func bindSvarUt(dpfEnabled: Bool, oidc: IntegrasjonspunktConfiguration.OIDC) -> IntegrasjonspunktConfiguration.Fiks.Ut {
        let prefix = "difi.move.fiks.ut"
        var ut = IntegrasjonspunktConfiguration.Fiks.Ut()
        if let text = string("\(prefix).type") {
            if let type = IntegrasjonspunktConfiguration.Fiks.Ut.TransportType(rawValue: text.lowercased()) {
                ut.type = type
            } else {
                problem("\(prefix).type", text, "is not a SvarUt transport",
                        "Use ws (the SOAP ForsendelsesServiceV9, default) or rest (the REST API with Maskinporten).")
            }
        }
        ut.credentials = credentials(prefix)
        ut.onBehalfOf = onBehalfOfCredentials(prefix)
        ut.endpointURL = url("\(prefix).endpointUrl") ?? ut.endpointURL
        ut.wsEndpointURL = url("\(prefix).ws.endpointUrl") ?? HTTPPath.join(ut.endpointURL, "tjenester/forsendelseservice/ForsendelsesServiceV9")
        ut.kunDigitalLevering = bool("\(prefix).kun-digital-levering", default: false)
        ut.konteringskode = string("\(prefix).konteringsKode")
        ut.ekskluderesFraPrint = Set((raw.list("\(prefix).ekskluderesFraPrint") ?? [])
            .map { $0.trimmingWhitespace().lowercased() }.map { $0.hasPrefix(".") ? String($0.dropFirst()) : $0 }
            .filter { !$0.isEmpty })
        ut.rest = bindSvarUtREST(prefix: "\(prefix).rest", endpointURL: ut.endpointURL, oidc: oidc)
        guard dpfEnabled else { return ut }
        switch ut.type {
        case .ws:
            if ut.credentials == nil && ut.onBehalfOf.isEmpty {
                problem("\(prefix).username", nil, "is missing while difi.move.feature.enableDPF=true with difi.move.fiks.ut.type=ws",
                        "Set difi.move.fiks.ut.username and difi.move.fiks.ut.password to the SvarUt avsender's service login "
                            + "(or paaVegneAv.<orgnr>.username/password), or use difi.move.fiks.ut.type=rest.")
            }
        case .rest:
            let rest = "\(prefix).rest"
            let fix = "Set difi.move.fiks.ut.rest.kontoid, .integrasjon-id and .integrasjon-passord to the SvarUt account "
                + "and the Fiks integration (KS Fiks forvaltning), or use difi.move.fiks.ut.type=ws."
            if ut.rest.kontoId == nil {
                problem("\(rest).kontoid", nil, "is missing while difi.move.fiks.ut.type=rest", fix)
            }
            if ut.rest.integrasjonId == nil {
                problem("\(rest).integrasjon-id", nil, "is missing while difi.move.fiks.ut.type=rest", fix)
            }
            if ut.rest.integrasjonPassord == nil {
                problem("\(rest).integrasjon-passord", nil, "is missing while difi.move.fiks.ut.type=rest", fix)
            }
        }
        return ut
    }

    private mutating func bindSvarUtREST(prefix: String, endpointURL: String,
                                         oidc: IntegrasjonspunktConfiguration.OIDC) -> IntegrasjonspunktConfiguration.Fiks.Ut.REST {
        var rest = IntegrasjonspunktConfiguration.Fiks.Ut.REST()
        rest.endpointURL = url("\(prefix).endpointUrl") ?? endpointURL
        if let konto = string("\(prefix).kontoid") {
            if UUID(uuidString: konto) != nil {
                rest.kontoId = konto.lowercased()
            } else {
                problem("\(prefix).kontoid", konto, "is not a UUID", "Copy the SvarUt account id (konto-id) from KS Fiks forvaltning.")
            }
        }
        if let id = string("\(prefix).integrasjon-id") {
            if UUID(uuidString: id) != nil {
                rest.integrasjonId = id.lowercased()
            } else {
                problem("\(prefix).integrasjon-id", id, "is not a UUID", "Copy the Fiks integration id from KS Fiks forvaltning.")
            }
        }
        rest.integrasjonPassord = secret("\(prefix).integrasjon-passord")
        rest.idleTimeout = duration("\(prefix).idleTimeout", default: .seconds(16 * 60))
        rest.maskinportenClientId = string("\(prefix).maskinporten.clientId") ?? oidc.clientId
        rest.maskinportenTokenURL = url("\(prefix).maskinporten.token-uri") ?? oidc.url
        rest.maskinportenAudience = string("\(prefix).maskinporten.audience") ?? oidc.audience
        rest.maskinportenScopes = (raw.list("\(prefix).maskinporten.scopes") ?? ["ks:fiks"]).map { $0.trimmingWhitespace() }
        return rest
    }

    /// `<prefix>.username` and `<prefix>.password`, both or neither.
    private mutating func credentials(_ prefix: String) -> IntegrasjonspunktConfiguration.Fiks.Credentials? {
        let username = string("\(prefix).username")
        let password = secret("\(prefix).password")
        switch (username, password) {
        case let (username?, password?):
            return .init(username: username, password: password)
        case (_?, nil):
            problem("\(prefix).password", nil, "is missing while \(prefix).username is set", "Set both, or neither.")
        case (nil, _?):
            problem("\(prefix).username", nil, "is missing while \(prefix).password is set", "Set both, or neither.")
        case (nil, nil):
            break
        }
        return nil
    }

    /// `<prefix>.paaVegneAv.<orgnr>.username/password` (any spelling: `paa-vegne-av`, `paaVegneAv`).
    private mutating func onBehalfOfCredentials(_ prefix: String) -> [String: IntegrasjonspunktConfiguration.Fiks.Credentials] {
        let base = RelaxedKey.canonical("\(prefix).paaVegneAv.")
        var numbers: [String] = []
        for key in raw.keys(withPrefix: base) {
            let rest = key.dropFirst(base.count)
            guard let number = rest.split(separator: ".").first.map(String.init), !numbers.contains(number) else { continue }
            numbers.append(number)
        }
        var result: [String: IntegrasjonspunktConfiguration.Fiks.Credentials] = [:]
        for number in numbers.sorted() {
            let key = "\(prefix).paaVegneAv.\(number)"
            guard number.count == 9, number.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                problem(key, nil, "does not name a 9-digit organisation number",
                        "Write the represented organisation's number, e.g. \(prefix).paaVegneAv.910075918.username.")
                continue
            }
            if let login = credentials(key) { result[number] = login } else if string("\(key).username") == nil
                && secret("\(key).password") == nil {
                problem("\(key).username", nil, "is missing", "Set \(key).username and \(key).password.")
            }
        }
        return result
    }

    private mutating func bindFiksKeystore() -> IntegrasjonspunktConfiguration.Keystore? {
        let prefix = "difi.move.fiks.keystore"
        guard string("\(prefix).path") != nil else { return nil }
        var type = IntegrasjonspunktConfiguration.Keystore.StoreType.pkcs12
        if let text = string("\(prefix).type") {
            if let parsed = IntegrasjonspunktConfiguration.Keystore.StoreType(rawValue: text.uppercased()) {
                type = parsed
            } else {
                problem("\(prefix).type", text, "is not a supported keystore type", "Use PKCS12 (default), JKS or PEM.")
            }
        }
        let path = file("\(prefix).path", required: true, fix: "")
        let alias = string("\(prefix).alias")
        let password = secret("\(prefix).password")
        if type != .pem {
            if alias == nil {
                problem("\(prefix).alias", nil, "is missing while difi.move.fiks.keystore.path is set",
                        "Set the alias of the key SvarInn encrypts to, or remove difi.move.fiks.keystore.path to use the organisation's keystore.")
            }
            if password == nil {
                problem("\(prefix).password", nil, "is missing while difi.move.fiks.keystore.path is set",
                        "Set the keystore's password, or remove difi.move.fiks.keystore.path to use the organisation's keystore.")
            }
        }
        let certificate = type == .pem
            ? file("\(prefix).certificate", required: true, fix: "Set the PEM certificate chain of the Fiks key (keystore type PEM).")
            : nil
        return .init(path: path ?? "", alias: alias, password: password, type: type, certificatePath: certificate)
    }

    private mutating func organisationNumber(_ key: String) -> String? {
        guard let value = string(key) else { return nil }
        guard value.count == 9, value.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            problem(key, value, "is not a 9-digit organisation number", "Write 9 digits, e.g. 999999999.")
            return nil
        }
        return value
    }
}

/// Joins a base URL and a path without doubling or dropping the slash.
enum HTTPPath {
    static func join(_ base: String, _ path: String) -> String {
        (base.hasSuffix("/") ? String(base.dropLast()) : base) + "/" + (path.hasPrefix("/") ? String(path.dropFirst()) : path)
    }
}
