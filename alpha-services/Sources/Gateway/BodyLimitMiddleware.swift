import AlphaDomain
import HTTPTypes
import Hummingbird
import NIOCore

/// Enforces ``BodyLimits`` and the body read timeout on every request, before any route reads its body.
///
/// - A `Content-Length` over the route's limit answers 400 ERR-001 at once, without reading the body.
/// - Otherwise the body is handed on as a stream that fails (→ 400 ERR-001) as soon as more bytes than
///   the limit have arrived, or when reading it takes longer than `readTimeout` in total: the body is
///   never held in memory beyond the limit, and a client trickling it cannot keep a request open
///   indefinitely. (A connection that stalls completely is closed by the server's idle timeout.)
struct BodyLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    let limits: BodyLimits
    let readTimeout: Duration

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let limit = limits.limit(for: request.method, path: request.uri.path)
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
            return ErrorEnvelopeMiddleware<Context>.response(APIError(.badRequest))
        }
        var request = request
        request.body = RequestBody(
            asyncSequence: LimitedBody(
                base: request.body,
                limit: limit,
                deadline: ContinuousClock.now.advanced(by: readTimeout)
            )
        )
        return try await next(request, context)
    }
}

/// A request body that throws `413` past `limit` bytes or `408` past `deadline` (both answered 400 ERR-001).
struct LimitedBody: AsyncSequence, Sendable {
    typealias Element = ByteBuffer

    let base: RequestBody
    let limit: Int
    let deadline: ContinuousClock.Instant

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: RequestBody.AsyncIterator
        let limit: Int
        let deadline: ContinuousClock.Instant
        var received = 0

        mutating func next() async throws -> ByteBuffer? {
            guard let buffer = try await base.next() else { return nil }
            received += buffer.readableBytes
            guard received <= limit else { throw HTTPError(.contentTooLarge) }
            guard ContinuousClock.now <= deadline else { throw HTTPError(.requestTimeout) }
            return buffer
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: base.makeAsyncIterator(), limit: limit, deadline: deadline)
    }
}
