import Foundation
import Hummingbird

/// E01 `GET /api/imprint` and `GET /api/openapi.json`.
struct MetaRoutes {
    let imprintText: String

    func register(on router: some RouterMethods<GatewayRequestContext>) {
        // The text is fixed at start-up: encode it once, not per request.
        let imprint = Result { try jsonResponse(ImprintResponse(text: imprintText)) }
        router.get("imprint") { _, _ in
            try imprint.get()
        }
        router.get("openapi.json") { _, _ in
            guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json") else {
                throw APIError(.internalServerError)
            }
            return Response(
                status: .ok,
                headers: [.contentType: "application/json; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(data: try Data(contentsOf: url)))
            )
        }
    }
}

struct ImprintResponse: Encodable {
    var text: String
}
