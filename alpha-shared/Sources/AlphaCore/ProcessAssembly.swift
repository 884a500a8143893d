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
    /// Translators of dependency errors (added by `addPostgres`); the gRPC server's error mapping uses them.
    public var errorTranslators: [ErrorTranslator] = []
    /// Gates of dependencies every RPC needs (added by `addPostgres`); the gRPC server refuses RPCs with
    /// `unavailable` while one is closed.
    public var availabilityGates: [AvailabilityGate] = []

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
}
