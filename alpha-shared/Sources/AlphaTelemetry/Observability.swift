import AlphaCore
import Logging
import Metrics
import OTel
import Prometheus
import ServiceLifecycle
import Tracing

/// Logging, metrics and tracing for one process, bootstrapped once at start-up.
///
/// - Logging: ``JSONLogHandler`` lines on stdout carrying `trace_id`/`span_id` inside a trace, written
///   by ``LogWriter`` off the request path (drops when stdout lags are counted in `log_lines_dropped_total`).
/// - Metrics: swift-metrics backed by a Prometheus registry (served by the admin server at `/metrics`).
/// - Tracing: swift-otel's tracer with W3C `traceparent` propagation; spans are exported over OTLP
///   when `OTEL_EXPORTER_OTLP_ENDPOINT` is set and dropped otherwise (trace ids still correlate logs).
///
/// ```swift
/// let observability = try Observability.bootstrap(service: "user-service", settings: settings)
/// // add observability.service to the ServiceGroup first
/// ```
public struct Observability: Sendable {
    /// The registry the admin server renders at `/metrics`.
    public let registry: PrometheusCollectorRegistry
    /// The tracing exporter pipeline; runs first in the process's ServiceGroup.
    public let service: any Service
    /// A logger for the process.
    public let logger: Logger
    /// Whether spans are exported.
    public let exportsTraces: Bool

    /// Configuration keys:
    /// - `LOG_LEVEL` (default `info`): trace, debug, info, notice, warning, error, critical.
    /// - `OTEL_EXPORTER_OTLP_ENDPOINT` (default unset): when set, spans are exported over OTLP.
    /// - `OTEL_SERVICE_NAME` (default: the process name).
    /// - the other standard `OTEL_*` variables swift-otel reads.
    ///
    /// Call at most once per process (the underlying systems accept one bootstrap).
    public static func bootstrap(service name: String, settings: Settings) throws -> Observability {
        let level = try settings.choice("log.level", default: LogLevelSetting.info)
        let serviceName = settings.string("otel.service.name", default: name)
        let endpoint = settings.optionalString("otel.exporter.otlp.endpoint")

        LoggingSystem.bootstrap(
            { label, provider in
                JSONLogHandler(label: label, service: serviceName, level: level.level, metadataProvider: provider)
            },
            metadataProvider: OTel.makeLoggingMetadataProvider()
        )
        var logger = Logger(label: name)
        logger.logLevel = level.level

        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        // Lines the log writer had to drop (stdout slower than the process) are counted, never waited for.
        let droppedLogLines = Counter(label: "log_lines_dropped_total")
        LogWriter.standardOutput.reportDrops { droppedLogLines.increment(by: $0) }

        var configuration = OTel.Configuration.default
        configuration.serviceName = serviceName
        configuration.diagnosticLogger = .custom(logger)
        configuration.logs.enabled = false
        configuration.metrics.enabled = false
        configuration.traces.enabled = true
        configuration.traces.exporter = endpoint == nil ? .none : .otlp
        // A larger queue than the default: under load the default overflowed.
        configuration.traces.batchSpanProcessor.maxQueueSize = 8192
        let tracing = try OTel.makeTracingBackend(configuration: configuration)
        InstrumentationSystem.bootstrap(tracing.factory)

        return Observability(
            registry: registry,
            service: tracing.service,
            logger: logger,
            exportsTraces: endpoint != nil
        )
    }
}

/// The `LOG_LEVEL` values.
public enum LogLevelSetting: String, CaseIterable, Sendable {
    case trace, debug, info, notice, warning, error, critical

    /// The swift-log level.
    public var level: Logger.Level { Logger.Level(rawValue: rawValue) ?? .info }
}
