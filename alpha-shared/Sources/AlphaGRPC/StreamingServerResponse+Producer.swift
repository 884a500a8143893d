import GRPCCore

extension StreamingServerResponse {
    /// The same response with `wrap` around its producer. A streaming handler (and the writing of any
    /// response) runs in the producer, after the interceptors have returned, so whatever must see the end of
    /// an RPC — its duration, its span, an error its handler throws — wraps the producer. A failed response is
    /// returned unchanged.
    func wrappingProducer(
        _ wrap: @escaping @Sendable (_ produce: @Sendable () async throws -> Metadata) async throws -> Metadata
    ) -> Self {
        guard case .success(var contents) = accepted else { return self }
        let producer = contents.producer
        contents.producer = { writer in
            try await wrap { try await producer(writer) }
        }
        return StreamingServerResponse(accepted: .success(contents))
    }
}
