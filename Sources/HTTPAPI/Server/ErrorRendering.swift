import Engine
import Foundation
import Hummingbird
import Logging
import Model
import Storage

/// Turns every failure into the upstream error body (`timestamp, status, error, exception, message, path`), so
/// clients see the same JSON as from the Java integration point, and never a stack trace.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let time: any TimeSource

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as NextMoveError {
            return ErrorRendering.response(for: error, path: request.uri.path, time: time)
        } catch let error as HTTPError {
            let status = error.status
            return ErrorRendering.response(status: status, message: error.body ?? status.reasonPhrase,
                                           path: request.uri.path, time: time)
        } catch let error as SBDDecodingError {
            return ErrorRendering.response(for: .unreadableBody(error), path: request.uri.path, time: time)
        } catch let error as InvalidSortProperty {
            return ErrorRendering.response(
                status: .badRequest,
                message: "No property '\(error.property)' to sort by. Sort by one of: \(error.allowed.joined(separator: ", ")).",
                path: request.uri.path, time: time,
                exception: "org.springframework.data.mapping.PropertyReferenceException")
        } catch let error as InvalidRequest {
            return ErrorRendering.response(status: .badRequest, message: error.message, path: request.uri.path,
                                           time: time, exception: error.exception)
        } catch StoreError.unavailable(let reason) {
            context.logger.warning("Request \(request.method) \(request.uri.path) refused: the database cannot be reached")
            return ErrorRendering.response(
                status: .serviceUnavailable,
                message: "The integration point cannot reach its database right now (\(reason)); try again later.",
                path: request.uri.path, time: time)
        } catch {
            context.logger.error("Request \(request.method) \(request.uri.path) failed: \(error)")
            return ErrorRendering.response(
                status: .internalServerError,
                message: "The integration point could not complete the request. The log has the details.",
                path: request.uri.path, time: time)
        }
    }
}

/// A request the API refuses before it reaches the engine (bad parameters, bodies, headers).
struct InvalidRequest: Error {
    var message: String
    var exception: String?

    init(_ message: String, exception: String? = nil) {
        self.message = message
        self.exception = exception
    }
}

enum ErrorRendering {
    static func response(for error: NextMoveError, path: String, time: any TimeSource) -> Response {
        let status = HTTPResponse.Status(code: error.httpStatus)
        if error.httpStatus == 204 { return Response(status: .noContent) }
        let body = ErrorBody(error, path: path, now: time.now)
        return JSONResponse.make(body, status: status)
    }

    static func response(status: HTTPResponse.Status, message: String, path: String, time: any TimeSource,
                         exception: String? = nil) -> Response {
        let body = ErrorBody(timestamp: time.now, status: status.code, error: status.reasonPhrase,
                             exception: exception, message: message, path: path)
        return JSONResponse.make(body, status: status)
    }
}
