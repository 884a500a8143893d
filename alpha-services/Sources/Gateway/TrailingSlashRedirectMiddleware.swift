import HTTPTypes
import Hummingbird

/// Redirects a path with a trailing slash to the same path without it, as the original router does:
/// 301 for GET and HEAD, 307 (method and body kept) otherwise. The query string is kept.
struct TrailingSlashRedirectMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let path = request.uri.path
        guard path.count > 1, path.hasSuffix("/") else { return try await next(request, context) }
        var target = String(path.reversed().drop { $0 == "/" }.reversed())
        if target.isEmpty { target = "/" }
        if let query = request.uri.query, !query.isEmpty { target += "?" + query }
        let permanent = request.method == .get || request.method == .head
        return Response(
            status: permanent ? .movedPermanently : .temporaryRedirect,
            headers: [.location: target]
        )
    }
}
