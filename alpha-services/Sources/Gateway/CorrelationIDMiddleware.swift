import Foundation
import HTTPTypes
import Hummingbird

/// Puts `X-Correlation-ID` on every response: the caller's value when it sent a sane one, else a new
/// UUID. The id is added to the request's log metadata.
public struct CorrelationIDMiddleware<Context: RequestContext>: RouterMiddleware {
    public static var headerName: HTTPField.Name { HTTPField.Name("X-Correlation-ID")! }

    public init() {}

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let incoming = request.headers[Self.headerName]
        let id =
            if let incoming, incoming.count <= 128,
                incoming.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
            {
                incoming
            } else {
                UUID().uuidString.lowercased()
            }
        var context = context
        context.logger[metadataKey: "correlation_id"] = "\(id)"
        var response = try await next(request, context)
        response.headers[Self.headerName] = id
        return response
    }
}
