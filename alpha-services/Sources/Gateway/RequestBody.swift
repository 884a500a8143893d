import AlphaDomain
import Foundation
import Hummingbird

extension Request {
    /// The body decoded strictly as `T` (empty, malformed, wrongly typed or oversized → 400 ERR-001).
    func decodeJSON<T: Decodable>(_ type: T.Type, limit: Int) async throws -> T {
        let buffer: ByteBuffer
        do {
            buffer = try await body.collect(upTo: limit)
        } catch {
            throw APIError(.badRequest)
        }
        return try decodeBody(Data(buffer: buffer), as: T.self)
    }
}

/// Throws 400 ERR-001 unless `condition` holds.
func require(_ condition: Bool) throws(APIError) {
    guard condition else { throw APIError(.badRequest) }
}
