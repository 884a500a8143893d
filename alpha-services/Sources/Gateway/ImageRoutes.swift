import AlphaContracts
import Foundation
import HTTPTypes
import Hummingbird

/// E25 `GET /api/images?image=<name>`: the stored bytes (no authentication).
///
/// Caching: `ETag` is the SHA-256 of the bytes and `Cache-Control: public, no-cache` makes browsers and
/// CDNs revalidate before reuse, answered `304 Not Modified` without the body while the ETag is current.
/// A re-uploaded profile picture keeps its URL (`<username>.<ext>`) but not its ETag, so it is never
/// shown stale; the URL shape of the contract stays as it is.
struct ImageRoutes {
    let dependencies: GatewayDependencies

    static let cacheControl = "public, no-cache"

    /// Registers the route on the public `/api/images` group.
    func register(on group: RouterGroup<GatewayRequestContext>) {
        group.get(use: image)
    }

    func image(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let name = request.uri.queryParameters["image"].map(String.init) ?? ""
        guard !name.isEmpty else { throw APIError(.imageNotFound) }
        let validators = Self.entityTags(request.headers[.ifNoneMatch])
        let image = try await upstream(logger: context.logger) {
            try await dependencies.upstreams.images.getImage(
                .with {
                    $0.name = name
                    $0.ifNoneMatch = validators.count == 1 ? validators[0] : ""
                })
        }
        var headers: HTTPFields = [
            .eTag: "\"\(image.etag)\"",
            .cacheControl: Self.cacheControl,
        ]
        if image.notModified || validators.contains(image.etag) || validators.contains("*") {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = image.contentType
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(data: image.data)))
    }

    /// The entity tags of an `If-None-Match` header, without quotes or the weak prefix.
    static func entityTags(_ header: String?) -> [String] {
        guard let header else { return [] }
        return header.split(separator: ",").map { part in
            var tag = part.trimmingCharacters(in: .whitespaces)
            if tag.hasPrefix("W/") { tag.removeFirst(2) }
            return tag.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }.filter { !$0.isEmpty }
    }
}
