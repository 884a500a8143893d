import AlphaCore
import AlphaGRPC
import AlphaHTTPAdmin
import AlphaTelemetry
import Foundation
import Logging
import ServiceLifecycle

/// Runs one Alpha process: bootstraps logging, metrics and tracing, starts the admin server, runs the
/// services the caller adds in one `ServiceGroup`, and shuts down gracefully on SIGTERM/SIGINT.
///
/// ```swift
/// @main enum EchoServiceMain {
///     static func main() async {
///         await ServiceProcess.run(name: "echo-service", defaultAdminPort: 9105) { process in
///             try process.addGRPCServer(
///                 defaultPort: 50055,
///                 services: [EchoHandler()]
///             )
///         }
///     }
/// }
/// ```
///
/// `docs/new-service.md` walks through a complete service.
///
/// Configuration keys: `ADMIN_HOST` (default `0.0.0.0`), `ADMIN_PORT` (default `defaultAdminPort`),
/// `SHUTDOWN_GRACE_SECONDS` (default 10: how long in-flight work may take to finish after a signal),
/// `DRAIN_DELAY_SECONDS` (default 1, 0 or more and less than the grace: how long the process keeps serving
/// everything, new calls included, after it starts reporting NOT_SERVING and before its servers stop
/// taking new work, so that clients and load balancers move away first), `HEAP_TRIM_INTERVAL_SECONDS` (default
/// 10, `0` turns it off: how often freed heap memory is given back to the system, ``HeapTrimmer``), plus those
/// of ``Observability``, and the `GRPC_TLS_*` keys of `GRPCTLS`, whose files are checked before anything else
/// happens.
///
/// On SIGTERM: health turns NOT_SERVING (grpc.health.v1 and `/health/ready`), the process waits the
/// drain delay, then the services stop in reverse order, in-flight calls finishing within the grace.
///
/// Start-up order: the admin and shutdown settings, observability, then `assemble` (which reads every other
/// setting and only builds objects), then the assembly's ``ProcessAssembly/startupSteps`` (migrations), then
/// the services. A configuration error therefore stops the process before it has touched a database or
/// bound a port: it prints one line naming the variable and exits 1.
public enum ServiceProcess {
    /// Runs the process until it is signalled, then exits: 0 after a clean shutdown, 1 on failure.
    public static func run(
        name: String,
        settings: Settings = .environment(),
        defaultAdminPort: Int,
        assemble: @Sendable (inout ProcessAssembly) async throws -> Void
    ) async -> Never {
        do {
            try await runUntilShutdown(
                name: name,
                settings: settings,
                defaultAdminPort: defaultAdminPort,
                assemble: assemble
            )
            exit(0)
        } catch let error as ConfigurationError {
            FileHandle.standardError.write(Data("\(name): \(error.description)\n".utf8))
            exit(1)
        } catch {
            FileHandle.standardError.write(Data("\(name): fatal: \(String(reflecting: error))\n".utf8))
            exit(1)
        }
    }

    /// Like ``run(name:settings:defaultAdminPort:assemble:)`` but returns instead of exiting.
    public static func runUntilShutdown(
        name: String,
        settings: Settings,
        defaultAdminPort: Int,
        assemble: @Sendable (inout ProcessAssembly) async throws -> Void
    ) async throws {
        let adminHost = settings.string("admin.host", default: "0.0.0.0")
        let adminPort = try settings.port("admin.port", default: defaultAdminPort)
        let grace = try settings.seconds("shutdown.grace.seconds", default: .seconds(10))
        let drainDelay: Duration =
            try Double(settings.string("drain.delay.seconds", default: "1")) == 0
            ? .zero : settings.seconds("drain.delay.seconds", default: .seconds(1))
        guard drainDelay < grace else {
            throw ConfigurationError.invalid(
                variable: "DRAIN_DELAY_SECONDS", reason: "must be less than SHUTDOWN_GRACE_SECONDS")
        }
        let heapTrimInterval: Duration =
            try Double(settings.string("heap.trim.interval.seconds", default: "10")) == 0
            ? .zero : settings.seconds("heap.trim.interval.seconds", default: .seconds(10))
        // The gRPC TLS files are checked before anything happens (migrations run while assembling).
        _ = try GRPCTLS.fromSettings(settings)
        let observability = try Observability.bootstrap(service: name, settings: settings)
        let logger = observability.logger

        var assembly = ProcessAssembly(
            name: name,
            settings: settings,
            logger: logger,
            readiness: Readiness()
        )
        // Every setting is read (and validated) while assembling; only then do side effects happen.
        try await assemble(&assembly)
        try await assembly.runStartupSteps()

        let admin = AdminServer(
            host: adminHost,
            port: adminPort,
            registry: observability.registry,
            readiness: assembly.readiness,
            logger: logger
        )
        var services: [any Service] = [observability.service, admin]
        services += assembly.services
        if heapTrimInterval > .zero { services.append(HeapTrimmer(interval: heapTrimInterval)) }
        services.append(DrainTrigger(readiness: assembly.readiness, delay: drainDelay, logger: logger))

        var configuration = ServiceGroupConfiguration(
            services: services.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) },
            gracefulShutdownSignals: [.sigterm, .sigint],
            cancellationSignals: [],
            logger: logger
        )
        configuration.maximumGracefulShutdownDuration = grace
        configuration.maximumCancellationDuration = .seconds(5)
        logger.info(
            "starting",
            metadata: ["admin": "\(adminHost):\(adminPort)", "traces_exported": "\(observability.exportsTraces)"]
        )
        try await ServiceGroup(configuration: configuration).run()
        logger.info("stopped cleanly")
    }
}

/// The last service in every group: the first to hear of a shutdown, it marks the process as
/// draining so health checks fail, then holds the shutdown of the other services for `delay` while
/// they keep serving, so that clients watching health (and load balancers) stop routing here before
/// the servers stop taking new calls. The group stops the other services only after this returns.
struct DrainTrigger: Service {
    let readiness: Readiness
    let delay: Duration
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        logger.info("shutdown requested: draining", metadata: ["drain_delay": "\(delay)"])
        readiness.beginDraining()
        // Not cancellable on purpose: the group cancels services only after the grace period.
        try? await Task.sleep(for: delay)
        logger.info("drain delay over: stopping servers")
    }
}
