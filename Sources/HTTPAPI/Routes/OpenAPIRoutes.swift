import Foundation
import Hummingbird

/// `GET /api/openapi.json`: the OpenAPI 3 document of this API (`openapi/openapi.json`, embedded as
/// `OpenAPIDocument.json` by `scripts/generate-openapi.py`).
struct OpenAPIRoutes {
    func add(to router: Router<some RequestContext>) {
        router.get("api/openapi.json") { _, _ in
            JSONResponse.raw(Data(OpenAPIDocument.json.utf8))
        }
    }
}
