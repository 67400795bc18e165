import Foundation

extension ServiceRegistryClient {
    /// `GET /sastoken`: the Azure Service Bus shared access key for DPE (`internals.md` §1.2).
    ///
    /// The answer is the key as text, inside a JWS when answers are signed (`difi.move.sign.enable`), as every
    /// other registry answer. It is not cached here: `RegistrySASKey` keeps it for a day and drops it on a 401.
    public func sasKey() async throws -> String {
        let answer = try await get(path: "sastoken", query: [])
        try Self.throwIfFailed(answer, identifier: "sastoken")
        var text = answer.text.trimmingCharacters(in: .whitespacesAndNewlines)
        if configuration.requireSignedAnswers || Self.looksLikeCompactJWS(text) {
            guard answer.contentType.contains("application/jose") || Self.looksLikeCompactJWS(text) else {
                throw ServiceRegistryError.badSignature("signed answers are required (difi.move.sign.enable) but /sastoken answered \(answer.contentType.isEmpty ? "unsigned" : answer.contentType)")
            }
            text = String(decoding: try await verifiedPayload(of: text), as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
        // Tolerate a JSON string ("…") as well as the bare key.
        if text.hasPrefix("\""), let decoded = try? JSONDecoder().decode(String.self, from: Data(text.utf8)) { text = decoded }
        guard !text.isEmpty else { throw ServiceRegistryError.malformedAnswer("/sastoken answered an empty key") }
        return text
    }
}
