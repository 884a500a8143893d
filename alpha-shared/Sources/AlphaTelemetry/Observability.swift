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
///   when `OTEL_EXPORTER_OTLP_ENDPOINT` is set, and not recorded otherwise (trace and span ids still
///   correlate logs and travel with calls; see ``tracingConfiguration(serviceName:exportsTraces:diagnosticLogger:)``).
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

        let tracing = try OTel.makeTracingBackend(
            configuration: tracingConfiguration(
                serviceName: serviceName, exportsTraces: endpoint != nil, diagnosticLogger: logger)
        )
        InstrumentationSystem.bootstrap(tracing.factory)

        return Observability(
            registry: registry,
            service: tracing.service,
            logger: logger,
            exportsTraces: endpoint != nil
        )
    }
}

extension Observability {
    /// The tracer's configuration (before the standard `OTEL_*` variables, which override it).
    ///
    /// When spans are exported (`exportsTraces`), every trace is recorded (`parentbased_always_on`) and
    /// the finished spans wait in a queue of up to 8,192 for the exporter (the default 2,048 overflowed
    /// under load). When they are not, a trace this process starts is not recorded
    /// (`parentbased_always_off`): its spans still get a trace id and span ids — log lines carry them and
    /// outgoing calls propagate them in `traceparent` — but no attributes are stored and no finished span
    /// is queued for an exporter that does not exist (that queue filled with up to 8,192 spans every
    /// five seconds under load: CPU per request, and memory that stayed after the load). A caller's
    /// sampled trace is still recorded.
    public static func tracingConfiguration(
        serviceName: String,
        exportsTraces: Bool,
        diagnosticLogger: Logger
    ) -> OTel.Configuration {
        var configuration = OTel.Configuration.default
        configuration.serviceName = serviceName
        configuration.diagnosticLogger = .custom(diagnosticLogger)
        configuration.logs.enabled = false
        configuration.metrics.enabled = false
        configuration.traces.enabled = true
        if exportsTraces {
            configuration.traces.exporter = .otlp
            configuration.traces.sampler = .parentBasedAlwaysOn
            configuration.traces.batchSpanProcessor.maxQueueSize = 8192
        } else {
            configuration.traces.exporter = .none
            configuration.traces.sampler = .parentBasedAlwaysOff
        }
        return configuration
    }
}

/// The `LOG_LEVEL` values.
public enum LogLevelSetting: String, CaseIterable, Sendable {
    case trace, debug, info, notice, warning, error, critical

    /// The swift-log level.
    public var level: Logger.Level { Logger.Level(rawValue: rawValue) ?? .info }
}
