import Hummingbird
import Logging

/// Runs `router` on a real HTTP server at 127.0.0.1 on a free port for the duration of `body`, which gets
/// the port. The fakes of third parties (Mailgun, push services, Expo) stand on it.
public func withLocalHTTPServer<T: Sendable>(
    _ router: Router<BasicRequestContext>,
    label: String,
    _ body: @Sendable (Int) async throws -> T
) async throws -> T {
    let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
    var logger = Logger(label: label)
    logger.logLevel = .critical
    let app = Application(
        router: router,
        configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)),
        onServerRunning: { channel in
            portContinuation.yield(channel.localAddress?.port ?? 0)
            portContinuation.finish()
        },
        logger: logger
    )
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask {
            defer { portContinuation.finish() }  // a server that fails to start must not leave us waiting
            try await app.runService(gracefulShutdownSignals: [])
        }
        defer { group.cancelAll() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else {
            throw LocalHTTPServerError.didNotStart(label)
        }
        return try await body(port)
    }
}

public enum LocalHTTPServerError: Error {
    case didNotStart(String)
}
