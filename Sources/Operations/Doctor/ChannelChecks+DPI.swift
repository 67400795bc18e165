import Channels
import Foundation
import IPConfiguration
import NIOCore
import Packaging

extension ChannelChecks {
    /// DPI: a token for `digitalpostinnbygger:send`, corner 2's receipt queue on the first channel, the print provider
    /// from the contact register, and the trust for receipts.
    func dpi() async -> Doctor.Finding {
        let dpi = configuration.dpi
        let channel = DPIChannels(dpi.channels).names[0]
        do {
            let mode: DPITrustAnchors.Mode = dpi.certificateMode == .production ? .production : .test
            let trust = try DPITrustAnchors.trust(mode, additionalPEM: try dpi.trustedCertificatesPath.map {
                try String(contentsOfFile: $0, encoding: .utf8)
            })
            let token: String
            if dpi.oidc.enabled {
                token = try await maskinportenClient(url: dpi.oidc.url, audience: dpi.oidc.audience, clientID: dpi.oidc.clientId)
                    .accessToken(scopes: dpi.oidc.scopes).value
            } else {
                token = dpi.oidc.mockToken ?? ""
            }
            let client = Corner2Client(configuration: .init(baseURL: dpi.uri, pageSize: 1), httpClient: httpClient)
            let waiting = try await client.receivedMessages(channel: channel, avsenderidentifikator: nil, token: token)
            let printer = try await KRRPrintClient(url: dpi.krrPrintURL, httpClient: httpClient).printProvider()
            return Doctor.Finding("channel DPI", .pass,
                                  "Corner 2 \(dpi.uri) answers on channel \(channel) (\(waiting.count == 0 ? "no receipt" : "receipts") waiting); print provider \(printer.organisationNumber) from \(dpi.krrPrintURL); receipts trusted from \(trust.roots.count) root certificate(s) (\(dpi.certificateMode.rawValue)).")
        } catch {
            return Doctor.Finding("channel DPI", .fail, "\(error)",
                                  remedy: Self.remedy(for: error, service: "DPI",
                                                      keys: "difi.move.dpi.uri, .krr-print-url, .oidc.* (scope digitalpostinnbygger:send for MOVE_IP_\(org)), .certificate.mode and .certificate.trusted-certificates"))
        }
    }
}
