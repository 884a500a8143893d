import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Minimal HTTP calls for the end-to-end tests (AsyncHTTPClient's shared client).
enum HTTP {
    static func get(_ url: String) async throws -> (Int, Data) {
        try await send(url, method: .GET)
    }

    static func send(
        _ url: String,
        method: HTTPMethod,
        body: Data? = nil,
        token: String? = nil
    ) async throws -> (Int, Data) {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if let token {
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
        }
        if let body {
            request.body = .bytes(ByteBuffer(data: body))
            request.headers.add(name: "Content-Type", value: "application/json")
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let bytes = try await response.body.collect(upTo: 16 << 20)
        return (Int(response.status.code), Data(buffer: bytes))
    }
}
