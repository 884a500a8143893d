import AlphaAuth
import AlphaCore
import GRPCCore

/// A hand-rolled gRPC service (`alpha.test.Probe`) whose methods misbehave on purpose, so the kit's
/// server chain can be tested without generated code. Messages are UTF-8 strings on the wire.
///
/// - `Echo`: answers the request text.
/// - `Fail`: throws `ServiceError(.notFound, code: "ERR-004", message: <request text>)`.
/// - `Crash`: throws an error that is not an `RPCError` (its description holds a "secret").
/// - `WhoAmI`: answers `Caller.current` as `username|isService` (`-` when there is no username).
/// - `WhoAmIStream` (server streaming): the same, written from inside the response stream.
/// - `CrashStream` (server streaming): throws the `Crash` error from inside the response stream.
/// - `Slow`: signals ``started``, then takes `slowDuration` and answers `done`.
struct ProbeService: RegistrableRPCService {
    static let serviceName = "alpha.test.Probe"
    static let secret = "db password is hunter2"

    /// Descriptors of the probe's methods.
    enum Method {
        static let echo = descriptor("Echo")
        static let fail = descriptor("Fail")
        static let crash = descriptor("Crash")
        static let whoAmI = descriptor("WhoAmI")
        static let whoAmIStream = descriptor("WhoAmIStream")
        static let crashStream = descriptor("CrashStream")
        static let slow = descriptor("Slow")

        static func descriptor(_ method: String) -> MethodDescriptor {
            MethodDescriptor(fullyQualifiedService: ProbeService.serviceName, method: method)
        }
    }

    struct Crash: Error, CustomStringConvertible {
        var description: String { "crash: \(ProbeService.secret)" }
    }

    /// Yields once each time a `Slow` call starts executing its handler.
    let started: AsyncStream<Void>
    private let startedContinuation: AsyncStream<Void>.Continuation
    private let slowDuration: Duration

    init(slowDuration: Duration = .milliseconds(500)) {
        (self.started, self.startedContinuation) = AsyncStream.makeStream(of: Void.self)
        self.slowDuration = slowDuration
    }

    func registerMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
        unary(Method.echo, in: &router) { text in text }
        unary(Method.fail, in: &router) { text in
            throw ServiceError(.notFound, code: "ERR-004", message: text)
        }
        unary(Method.crash, in: &router) { _ in throw Crash() }
        unary(Method.whoAmI, in: &router) { _ in Self.describeCaller() }
        router.registerHandler(
            forMethod: Method.whoAmIStream,
            deserializer: StringCoder(),
            serializer: StringCoder()
        ) { request, _ in
            for try await _ in request.messages {}
            return StreamingServerResponse(of: String.self) { writer in
                try await writer.write(Self.describeCaller())
                return [:]
            }
        }
        router.registerHandler(
            forMethod: Method.crashStream,
            deserializer: StringCoder(),
            serializer: StringCoder()
        ) { request, _ in
            for try await _ in request.messages {}
            return StreamingServerResponse(of: String.self) { _ in throw Crash() }
        }
        let started = startedContinuation
        let duration = slowDuration
        unary(Method.slow, in: &router) { _ in
            started.yield()
            try await Task.sleep(for: duration)
            return "done"
        }
    }

    static func describeCaller() -> String {
        guard let caller = Caller.current else { return "no caller" }
        return "\(caller.username ?? "-")|\(caller.isService)"
    }

    private func unary<Transport: ServerTransport>(
        _ method: MethodDescriptor,
        in router: inout RPCRouter<Transport>,
        _ body: @escaping @Sendable (String) async throws -> String
    ) {
        router.registerHandler(forMethod: method, deserializer: StringCoder(), serializer: StringCoder()) {
            request, _ in
            var text = ""
            for try await message in request.messages { text = message }
            return StreamingServerResponse(single: ServerResponse(message: try await body(text)))
        }
    }
}

/// Serializes strings as their UTF-8 bytes.
struct StringCoder: MessageSerializer, MessageDeserializer {
    func serialize<Bytes: GRPCContiguousBytes>(_ message: String) throws -> Bytes {
        Bytes(Array(message.utf8))
    }

    func deserialize<Bytes: GRPCContiguousBytes>(_ serializedMessageBytes: Bytes) throws -> String {
        serializedMessageBytes.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
    }
}

extension GRPCClient {
    /// Calls a unary probe method and returns the answer text.
    func probe(
        _ method: MethodDescriptor,
        _ text: String = "",
        metadata: Metadata = [:],
        options: CallOptions = .defaults
    ) async throws -> String {
        try await unary(
            request: ClientRequest(message: text, metadata: metadata),
            descriptor: method,
            serializer: StringCoder(),
            deserializer: StringCoder(),
            options: options
        ) { response in try response.message }
    }

    /// Calls the server-streaming probe method and returns every message.
    func probeStream(_ method: MethodDescriptor, metadata: Metadata = [:]) async throws -> [String] {
        try await serverStreaming(
            request: ClientRequest(message: "", metadata: metadata),
            descriptor: method,
            serializer: StringCoder(),
            deserializer: StringCoder(),
            options: .defaults
        ) { response in
            var messages: [String] = []
            for try await message in response.messages { messages.append(message) }
            return messages
        }
    }
}
