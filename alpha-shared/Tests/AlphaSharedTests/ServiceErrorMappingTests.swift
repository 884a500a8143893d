import AlphaCore
import AlphaGRPC
import AlphaTesting
import GRPCCore
import Testing

@Suite("Error mapping: ServiceError ↔ gRPC status")
struct ServiceErrorMappingTests {
    static let expectedCodes: [(ServiceError.Kind, RPCError.Code)] = [
        (.invalidArgument, .invalidArgument), (.notFound, .notFound), (.alreadyExists, .alreadyExists),
        (.permissionDenied, .permissionDenied), (.unauthenticated, .unauthenticated),
        (.failedPrecondition, .failedPrecondition), (.resourceExhausted, .resourceExhausted),
        (.unavailable, .unavailable), (.deadlineExceeded, .deadlineExceeded), (.internal, .internalError),
    ]

    @Test("every kind has its gRPC code")
    func everyKindIsMapped() {
        #expect(
            Self.expectedCodes.map(\.0).sorted { $0.rawValue < $1.rawValue }
                == ServiceError.Kind.allCases.sorted { $0.rawValue < $1.rawValue })
    }

    @Test(
        "a ServiceError becomes a status with its code and the catalog code in alpha-error-code",
        arguments: expectedCodes)
    func toRPCError(kind: ServiceError.Kind, code: RPCError.Code) {
        let error = RPCError(ServiceError(kind, code: "ERR-042", message: "why"))
        #expect(error.code == code)
        #expect(error.message == "why")
        #expect(Array(error.metadata[stringValues: "alpha-error-code"]) == ["ERR-042"])
        #expect(ServiceError.codeMetadataKey == "alpha-error-code")
    }

    @Test("a status with alpha-error-code becomes the same ServiceError again", arguments: expectedCodes)
    func roundTrip(kind: ServiceError.Kind, code: RPCError.Code) {
        let original = ServiceError(kind, code: "ERR-016", message: "already following")
        #expect(ServiceError(remote: RPCError(original)) == original)
    }

    @Test("a status without alpha-error-code is not a ServiceError")
    func withoutCodeIsNil() {
        #expect(ServiceError(remote: RPCError(code: .notFound, message: "no route")) == nil)
        #expect(ServiceError(remote: RPCError(code: .unavailable, message: "connection refused")) == nil)
    }

    @Test("a code-carrying status of a code with no kind comes back as internal")
    func unknownCodeIsInternal() {
        let error = RPCError(code: .dataLoss, message: "x", metadata: ["alpha-error-code": "ERR-009"])
        #expect(ServiceError(remote: error) == ServiceError(.internal, code: "ERR-009", message: "x"))
    }

    @Test("over gRPC, a handler's ServiceError reaches the client as notFound with its catalog code")
    func serviceErrorOverTheWire() async throws {
        let identity = TestIdentity()
        try await withInProcessServer(services: [ProbeService()], identity: identity) { client in
            let error = try #require(
                await #expect(throws: RPCError.self) { try await client.probe(ProbeService.Method.fail, "no user bob") }
            )
            #expect(error.code == .notFound)
            #expect(error.message == "no user bob")
            #expect(ServiceError(remote: error) == ServiceError(.notFound, code: "ERR-004", message: "no user bob"))
        }
    }

    @Test("over gRPC, any other error is internalError \"internal error\": logged, never leaked")
    func unexpectedErrorOverTheWire() async throws {
        let identity = TestIdentity()
        let capture = LineCapture()
        try await withInProcessServer(services: [ProbeService()], identity: identity, logger: capture.logger()) {
            client in
            let error = try #require(
                await #expect(throws: RPCError.self) { try await client.probe(ProbeService.Method.crash) }
            )
            #expect(error.code == .internalError)
            #expect(error.message == "internal error")
            #expect(!"\(error)".contains(ProbeService.secret))
            #expect(ServiceError(remote: error) == nil)
        }
        let logged = capture.objects.first { $0["message"] as? String == "unexpected error in handler" }
        let metadata = try #require(logged?["metadata"] as? [String: String])
        #expect(metadata["rpc"] == "alpha.test.Probe/Crash")
        #expect(metadata["error"]?.contains(ProbeService.secret) == true)
    }

    @Test("over gRPC, an error thrown while streaming the response is mapped the same way")
    func unexpectedErrorWhileStreaming() async throws {
        let capture = LineCapture()
        try await withInProcessServer(services: [ProbeService()], identity: TestIdentity(), logger: capture.logger()) {
            client in
            let error = await #expect(throws: RPCError.self) {
                try await client.probeStream(ProbeService.Method.crashStream)
            }
            #expect(error?.code == .internalError)
            #expect(error?.message == "internal error")
        }
        #expect(capture.objects.contains { $0["message"] as? String == "unexpected error in handler" })
    }

    @Test("over gRPC, a successful call is unaffected by the error mapping")
    func successOverTheWire() async throws {
        try await withInProcessServer(services: [ProbeService()], identity: TestIdentity()) { client in
            let answer = try await client.probe(ProbeService.Method.echo, "hello")
            #expect(answer == "hello")
        }
    }
}
