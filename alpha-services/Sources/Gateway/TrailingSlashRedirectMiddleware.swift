import HTTPTypes
import Hummingbird

/// Redirects a path with a trailing slash to the same path without it, as the original router does:
/// 301 for GET and HEAD, 307 (method and body kept) otherwise. The query string is kept.
///
/// The target is always a path on this host: leading slashes and backslashes collapse into one `/`, so
/// `GET //evil.example/` redirects to `/evil.example`, never to the scheme-relative `//evil.example`
/// (an open redirect).
struct TrailingSlashRedirectMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let path = request.uri.path
        guard path.count > 1, path.hasSuffix("/") else { return try await next(request, context) }
        let trimmed = path.reversed().drop { $0 == "/" }.reversed().drop { $0 == "/" || $0 == "\\" }
        var target = "/" + String(trimmed)
        if let query = request.uri.query, !query.isEmpty { target += "?" + query }
        let permanent = request.method == .get || request.method == .head
        return Response(
            status: permanent ? .movedPermanently : .temporaryRedirect,
            headers: [.location: target]
        )
    }
}
