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
        let (status, _, data) = try await exchange(url, method: method, body: body, token: token)
        return (status, data)
    }

    /// Like ``send(_:method:body:token:)`` with extra request headers, answering the response headers too.
    static func exchange(
        _ url: String,
        method: HTTPMethod,
        body: Data? = nil,
        token: String? = nil,
        headers extraHeaders: [(String, String)] = []
    ) async throws -> (Int, HTTPHeaders, Data) {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if let token {
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
        }
        for (name, value) in extraHeaders {
            request.headers.add(name: name, value: value)
        }
        if let body {
            request.body = .bytes(ByteBuffer(data: body))
            request.headers.add(name: "Content-Type", value: "application/json")
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let bytes = try await response.body.collect(upTo: 16 << 20)
        return (Int(response.status.code), response.headers, Data(buffer: bytes))
    }
}
