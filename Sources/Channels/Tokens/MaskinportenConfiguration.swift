import Foundation
import NIOCore
import Packaging

/// What the Maskinporten client needs (`difi.move.oidc.*`, or `difi.move.dpo.oidc.*` for the broker token).
public struct MaskinportenConfiguration: Sendable {
    /// `difi.move.oidc.url`, e.g. `https://test.maskinporten.no/token`.
    public var tokenURL: String
    /// `difi.move.oidc.audience`, e.g. `https://test.maskinporten.no/`.
    public var audience: String
    /// `difi.move.oidc.clientId`; `MOVE_IP_<orgnr>` by default.
    public var clientID: String
    /// The virksomhetssertifikat and its key: signs the grant, its chain goes in `x5c`.
    public var keystore: PrivateKeyAndCertificate
    /// Lifetime of the grant JWT (`exp - iat`); the upstream uses 120 s.
    public var assertionLifetime: TimeInterval
    /// A token is renewed this long before it expires.
    public var refreshMargin: TimeInterval
    public var timeout: TimeAmount

    public init(tokenURL: String, audience: String, organisationNumber: String, clientID: String? = nil,
                keystore: PrivateKeyAndCertificate, assertionLifetime: TimeInterval = 120, refreshMargin: TimeInterval = 45,
                timeout: TimeAmount = .seconds(30)) {
        self.tokenURL = tokenURL
        self.audience = audience
        self.clientID = clientID ?? "MOVE_IP_\(organisationNumber)"
        self.keystore = keystore
        self.assertionLifetime = assertionLifetime
        self.refreshMargin = refreshMargin
        self.timeout = timeout
    }
}

/// The scopes the integration point asks Maskinporten for.
public enum MaskinportenScopes {
    /// Scopes for the service registry token: one per enabled channel (`internals.md` §1.1).
    public static func serviceRegistry(enabledChannels: [String]) -> [String] {
        var scopes: [String] = []
        for channel in enabledChannels.map({ $0.uppercased() }) {
            switch channel {
            case "DPO": scopes.append("eformidling:dpo")
            case "DPE": scopes.append("eformidling:dpe")
            case "DPV": scopes.append("eformidling:dpv")
            case "DPF": scopes.append("eformidling:dpf")
            case "DPH": scopes.append("eformidling:dph")
            case "DPI":
                scopes += ["eformidling:dpi", "digitalpostinnbygger:send", "global/kontaktinformasjon.read",
                           "global/sikkerdigitalpost.read", "global/varslingsstatus.read", "global/sertifikat.read",
                           "global/navn.read", "global/postadresse.read"]
            default: continue
            }
        }
        return scopes
    }

    /// Scopes of the token exchanged for the Altinn broker token (`internals.md` §2.1, §5.2).
    public static let altinnBroker = ["altinn:broker.read", "altinn:broker.write"]
    /// DPV through Digdir's Altinn proxy (no system user).
    public static let dpv = ["eformidling:dpv"]
}

/// The Altinn system user a DPO token acts as (`difi.move.dpo.systemUser.*`), sent as `authorization_details`.
public struct AltinnSystemUser: Sendable, Hashable {
    /// `0192:<orgnr>`.
    public var organisationID: String
    /// `<orgnr>_integrasjonspunkt_systembruker_<orgnr>` by default.
    public var name: String

    public init(organisationID: String, name: String) {
        self.organisationID = organisationID
        self.name = name
    }

    /// The upstream defaults for `organisationNumber`.
    public static func defaultSystemUser(organisationNumber: String) -> AltinnSystemUser {
        AltinnSystemUser(organisationID: "0192:\(organisationNumber)",
                         name: "\(organisationNumber)_integrasjonspunkt_systembruker_\(organisationNumber)")
    }

    /// `[{"type":"urn:altinn:systemuser","systemuser_org":{"authority":"iso6523-actorid-upis","ID":…},"externalRef":…}]`
    var authorizationDetails: [[String: Any]] {
        [["type": "urn:altinn:systemuser",
          "systemuser_org": ["authority": "iso6523-actorid-upis", "ID": organisationID],
          "externalRef": name]]
    }
}
