import Hummingbird
import Logging
import ServiceLifecycle

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
    // Stopped by a graceful shutdown, never by cancelling its task: a connection accepted while the serving
    // task is cancelled is dropped unserved and traps in swift-nio ("Deinited NIOAsyncWriter without calling
    // finish()", apple/swift-nio#3481). The bound keeps a fake that is still delaying an answer from holding
    // the test up for long.
    var configuration = ServiceGroupConfiguration(services: [app], logger: logger)
    configuration.maximumGracefulShutdownDuration = .seconds(10)
    let server = ServiceGroup(configuration: configuration)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask {
            defer { portContinuation.finish() }  // a server that fails to start must not leave us waiting
            try await server.run()
        }
        let result: Result<T, any Error>
        var iterator = ports.makeAsyncIterator()
        if let port = await iterator.next(), port > 0 {
            do {
                result = .success(try await body(port))
            } catch {
                result = .failure(error)
            }
        } else {
            result = .failure(LocalHTTPServerError.didNotStart(label))
        }
        await server.triggerGracefulShutdown()
        try await group.waitForAll()
        return try result.get()
    }
}

public enum LocalHTTPServerError: Error {
    case didNotStart(String)
}
