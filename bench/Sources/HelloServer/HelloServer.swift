import Hummingbird

/// A bare Hummingbird 2 server: `GET /api/imprint` answers a constant JSON body, with no middleware,
/// no logging per request and no upstream. It is the baseline the gateway's routes are divided by.
///
/// `HELLO_PORT` (default 28090) sets the port; it listens on 127.0.0.1.
@main
enum HelloServer {
    static func main() async throws {
        let port = Int(Environment().get("HELLO_PORT") ?? "") ?? 28090
        let body = ByteBuffer(string: #"{"text":"Alpha benchmark baseline: a constant imprint."}"#)
        let router = Router()
        router.get("api/imprint") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "application/json; charset=utf-8"],
                body: .init(byteBuffer: body)
            )
        }
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "hello")
        )
        try await app.runService()
    }
}
