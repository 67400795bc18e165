import AsyncHTTPClient
import Channels
import Foundation
import IPConfiguration
import Packaging

/// The doctor's DPF checks: SvarUt answers with the configured login (its forsendelse types, a call that changes
/// nothing), and each SvarInn mailbox can be listed (also read-only).
extension ChannelChecks {
    func dpf() async -> [Doctor.Finding] {
        var findings = [await svarUt()]
        if configuration.fiks.inn.enabled { findings.append(await svarInn()) }
        return findings
    }

    func svarUt() async -> Doctor.Finding {
        let ut = configuration.fiks.ut
        let transport: any SvarUtTransport
        let keys: String
        switch ut.type {
        case .ws:
            transport = SvarUtSOAPClient(endpointURL: ut.wsEndpointURL, credentials: FiksCredentialDirectory(configured: ut.credentials, onBehalfOf: ut.onBehalfOf, organisation: org),
                                         httpClient: httpClient, requestTimeout: .seconds(30))
            keys = "difi.move.fiks.ut.ws.endpointUrl (or .endpointUrl) and difi.move.fiks.ut.username/password, set in KS Fiks forvaltning"
        case .rest:
            let rest = ut.rest
            let maskinporten = maskinportenClient(url: rest.maskinportenTokenURL, audience: rest.maskinportenAudience,
                                                  clientID: rest.maskinportenClientId)
            let scopes = rest.maskinportenScopes
            transport = SvarUtRESTClient(endpointURL: rest.endpointURL, kontoId: rest.kontoId ?? "", integrasjonId: rest.integrasjonId ?? "",
                                         integrasjonPassord: rest.integrasjonPassord ?? "", organisations: [org], httpClient: httpClient,
                                         tokens: { consumer in maskinporten.provider(scopes: scopes, consumerOrganization: consumer) },
                                         requestTimeout: .seconds(30))
            keys = "difi.move.fiks.ut.rest.endpointUrl, .kontoid, .integrasjon-id, .integrasjon-passord and the Maskinporten scope ks:fiks"
        }
        do {
            let types = try await transport.forsendelseTyper(sender: org)
            return Doctor.Finding("channel DPF", .pass,
                                  "SvarUt (\(ut.type.rawValue)) answers for \(org); it knows \(types.count) forsendelse type(s).")
        } catch {
            return Doctor.Finding("channel DPF", .fail, "SvarUt (\(ut.type.rawValue)): \(error)",
                                  remedy: Self.remedy(for: error, service: "KS SvarUt", keys: keys))
        }
    }

    func svarInn() async -> Doctor.Finding {
        let inn = configuration.fiks.inn
        let directory = FiksCredentialDirectory(configured: inn.credentials, onBehalfOf: inn.onBehalfOf, organisation: inn.organisationNumber)
        let client = SvarInnClient(baseURL: inn.baseURL, credentials: directory, httpClient: httpClient)
        var waiting: [String] = []
        for mailbox in directory.organisations {
            do {
                let forsendelser = try await client.newForsendelser(mailbox: mailbox)
                waiting.append("\(mailbox): \(forsendelser.count) waiting")
            } catch {
                return Doctor.Finding("channel DPF SvarInn", .fail, "SvarInn mailbox of \(mailbox): \(error)",
                                      remedy: Self.remedy(for: error, service: "KS SvarInn",
                                                          keys: "difi.move.fiks.inn.baseUrl and the mottakersystem's login (difi.move.fiks.inn.username/password or .paaVegneAv.\(mailbox).*)"))
            }
        }
        return Doctor.Finding("channel DPF SvarInn", .pass, "SvarInn \(inn.baseURL) answers; \(waiting.joined(separator: ", ")).")
    }
}
