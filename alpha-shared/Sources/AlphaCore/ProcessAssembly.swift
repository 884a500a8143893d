import Logging
import ServiceLifecycle

/// What a process's `main` receives while wiring itself: configuration, a logger, readiness, and the
/// list of long-running services to start.
///
/// Add services in dependency order — a database client before the server that uses it. They start
/// together and shut down in reverse order, so a server drains before the client it uses closes.
public struct ProcessAssembly: Sendable {
    /// The process name (`user-service`), used in logs, metrics and traces.
    public let name: String
    /// The process's configuration.
    public let settings: Settings
    /// The process logger.
    public let logger: Logger
    /// Readiness shared by the admin server and the gRPC health service.
    public let readiness: Readiness

    /// The services added so far, in start order.
    public private(set) var services: [any Service] = []
    /// The dependencies every RPC needs (added by `addPostgres`), shared with the gRPC server whatever the
    /// order they are added in: it refuses RPCs with `unavailable` while one's gate is closed, and answers
    /// their libraries' errors as their translators say.
    public let dependencies = Dependencies()
    /// Work that must happen before the services start but after every setting has been read (migrations),
    /// in the order added. ``add(_:)`` and the `add…` helpers only read settings and build objects; side
    /// effects wait here, so a malformed setting stops the process before it touches anything.
    public private(set) var startupSteps: [StartupStep] = []

    /// Creates the assembly a process's `main` fills (``ServiceProcess`` makes it).
    public init(
        name: String,
        settings: Settings,
        logger: Logger,
        readiness: Readiness
    ) {
        self.name = name
        self.settings = settings
        self.logger = logger
        self.readiness = readiness
    }

    /// Adds a long-running service (a database client, a server, a worker).
    public mutating func add(_ service: any Service) {
        services.append(service)
    }

    /// Runs the ``startupSteps`` in order (``ServiceProcess`` does, after assembling). Whoever runs an
    /// assembly's services without `ServiceProcess` — a test of a process's wiring — calls this first.
    public func runStartupSteps() async throws {
        for step in startupSteps {
            try await step.run()
        }
    }

    /// Adds work to run once every setting has been read and before any service starts (see ``startupSteps``).
    public mutating func beforeStart(_ name: String, _ run: @escaping @Sendable () async throws -> Void) {
        startupSteps.append(StartupStep(name: name, run: run))
    }
}

/// One piece of start-up work with side effects (a migration run), done after configuration is complete.
public struct StartupStep: Sendable {
    /// What the step does, for logs (`postgres migrations`).
    public let name: String
    /// The work.
    public let run: @Sendable () async throws -> Void
}
