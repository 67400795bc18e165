import Engine
import Hummingbird
import Model

/// `GET /api/capabilities/{receiverIdentifier}?securityLevel=&process=` (`nextmove-api.md` §2.1).
struct CapabilityRoutes {
    let capabilities: any CapabilityLookup

    func add(to router: Router<some RequestContext>) {
        router.get("api/capabilities/{receiverIdentifier}") { request, context in
            let query = QueryParameters(request)
            let receiver = try context.parameters.require("receiverIdentifier")
            var securityLevel: Int?
            if let text = query.string("securityLevel") {
                guard let level = Int(text) else {
                    throw NextMoveError.argumentTypeMismatch(parameter: "securityLevel", value: text,
                                                             requiredType: "java.lang.Integer")
                }
                securityLevel = level
            }
            return JSONResponse.make(try await capabilities.capabilities(
                of: receiver, process: query.string("process"), securityLevel: securityLevel))
        }
    }
}
