import AlphaDomain
import Foundation
import Hummingbird
import Logging

/// Renders every failure as the contract's JSON envelope, in one place.
///
/// - ``APIError`` → its code and status (and `Retry-After` when it has one).
/// - `BadRequest` (body decoding / validation), a body over its limit or too slow → 400 ERR-001.
/// - hummingbird-auth's 401 (no signed-in user on a protected route) → 401 ERR-014.
/// - Hummingbird's routing errors (unknown route, wrong method) → 404 ERR-000.
/// - Anything else → 500 ERR-009, logged with details, never leaked.
public struct ErrorEnvelopeMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return Self.response(error)
        } catch is BadRequest {
            return Self.response(APIError(.badRequest))
        } catch let error as HTTPError where error.status == .unauthorized {
            // hummingbird-auth's `IsAuthenticatedMiddleware` and `requireIdentity()`: no signed-in user.
            return Self.response(APIError(.unauthorized))
        } catch let error as HTTPError where [.notFound, .methodNotAllowed].contains(error.status) {
            return Self.response(APIError(.endpointNotFound))
        } catch let error as HTTPError where [.contentTooLarge, .requestTimeout].contains(error.status) {
            return Self.response(APIError(.badRequest))
        } catch {
            context.logger.error(
                "unhandled error",
                metadata: ["path": "\(request.uri.path)", "error": "\(String(reflecting: error))"]
            )
            return Self.response(APIError(.internalServerError))
        }
    }

    /// The envelope response for `error`.
    public static func response(_ error: APIError) -> Response {
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if let seconds = error.retryAfterSeconds {
            headers[.retryAfter] = "\(seconds)"
        }
        return Response(
            status: HTTPResponse.Status(code: error.status),
            headers: headers,
            body: .init(byteBuffer: ByteBuffer(data: error.envelope.jsonData()))
        )
    }
}
