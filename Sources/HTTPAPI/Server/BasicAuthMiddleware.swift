import Foundation
import Hummingbird
import Engine
import Model

/// HTTP Basic authentication of the API (`difi.security.enable`, `difi.security.user.name|password`).
///
/// Everything but `/manage/health` and its probes needs credentials. Credentials are compared in constant time so
/// response timing tells nothing about how much of a guess was right.
struct BasicAuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let username: String
    let password: String
    let time: any TimeSource

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        if Self.isOpen(request.uri.path) || isAuthorized(request.headers[.authorization]) {
            return try await next(request, context)
        }
        var response = ErrorRendering.response(
            status: .unauthorized, message: "Full authentication is required to access this resource",
            path: request.uri.path, time: time)
        response.headers[.wwwAuthenticate] = "Basic realm=\"integrasjonspunkt\""
        return response
    }

    static func isOpen(_ path: String) -> Bool {
        path == "/manage/health" || path.hasPrefix("/manage/health/")
    }

    func isAuthorized(_ header: String?) -> Bool {
        guard let header, header.count > 6, header.prefix(6).lowercased() == "basic " else { return false }
        guard let decoded = Data(base64Encoded: String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
              let text = String(data: decoded, encoding: .utf8),
              let colon = text.firstIndex(of: ":") else { return false }
        let user = String(text[..<colon])
        let pass = String(text[text.index(after: colon)...])
        // Evaluate both comparisons always, so the time taken does not reveal which part was wrong.
        let userMatches = ConstantTime.equals(Array(user.utf8), Array(username.utf8))
        let passMatches = ConstantTime.equals(Array(pass.utf8), Array(password.utf8))
        return userMatches && passMatches
    }
}

/// Comparison whose running time depends only on the lengths of its inputs.
enum ConstantTime {
    static func equals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(a.count == b.count ? 0 : 1)
        let length = max(a.count, b.count)
        for i in 0..<length {
            let x = i < a.count ? a[i] : 0
            let y = i < b.count ? b[i] : 0
            difference |= x ^ y
        }
        return difference == 0
    }
}
