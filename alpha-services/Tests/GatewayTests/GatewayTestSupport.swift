import AlphaAuth
import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// The parsed JSON of a response body.
func json(_ response: TestResponse) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
}

/// Checks that `response` is the contract's error envelope for `code` with `status`.
func expectError(
    _ response: TestResponse,
    status: Int,
    code: String,
    sourceLocation: SourceLocation = #_sourceLocation
) throws {
    #expect(Int(response.status.code) == status, "status", sourceLocation: sourceLocation)
    let body = try json(response)
    #expect(Set(body.keys) == ["error"], sourceLocation: sourceLocation)
    let error = try #require(body["error"] as? [String: Any], sourceLocation: sourceLocation)
    #expect(Set(error.keys) == ["title", "code", "message", "http_status"], sourceLocation: sourceLocation)
    #expect(error["code"] as? String == code, "code", sourceLocation: sourceLocation)
    #expect(error["http_status"] as? Int == status, "http_status", sourceLocation: sourceLocation)
}

extension TestClientProtocol {
    /// Sends `body` (a JSON string, sent verbatim) with an optional bearer token.
    @discardableResult
    func send<Result>(
        _ method: HTTPRequest.Method,
        _ uri: String,
        body: String? = nil,
        token: String? = nil,
        authorization: String? = nil,
        _ test: @escaping (TestResponse) async throws -> Result
    ) async throws -> Result {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        if let authorization { headers[.authorization] = authorization }
        if body != nil { headers[.contentType] = "application/json" }
        return try await execute(
            uri: uri,
            method: method,
            headers: headers,
            body: body.map { ByteBuffer(string: $0) },
            testCallback: test
        )
    }
}
