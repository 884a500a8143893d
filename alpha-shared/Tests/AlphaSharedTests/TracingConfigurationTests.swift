import AlphaTelemetry
import Logging
import OTel
import ServiceContextModule
import Testing
import Tracing

@testable import AlphaCore

@Suite("Tracing configuration")
struct TracingConfigurationTests {
    @Test("not exporting: a trace this process starts is not recorded, but its ids reach log lines and calls")
    func unrecordedTraceKeepsIDs() throws {
        let tracer = try Self.makeTracer(exportsTraces: false)
        let capture = LineCapture()
        let logger = capture.logger(metadataProvider: OTel.makeLoggingMetadataProvider())
        var carrier: [String: String] = [:]

        tracer.withSpan("handle", context: .topLevel, ofKind: .server) { span in
            #expect(!span.isRecording)
            logger.info("in span")
            tracer.inject(span.context, into: &carrier, using: DictionaryInjector())
        }

        let object = try #require(capture.objects.first)
        let traceID = try #require(object["trace_id"] as? String)
        let spanID = try #require(object["span_id"] as? String)
        #expect(traceID.wholeMatch(of: /[0-9a-f]{32}/) != nil)
        #expect(spanID.wholeMatch(of: /[0-9a-f]{16}/) != nil)
        #expect(carrier["traceparent"] == "00-\(traceID)-\(spanID)-00")
    }

    @Test("not exporting: a caller's sampled trace is still recorded and continued")
    func sampledCallerIsFollowed() throws {
        let tracer = try Self.makeTracer(exportsTraces: false)
        var context = ServiceContext.topLevel
        tracer.extract(["traceparent": JSONLogHandlerTests.traceparent], into: &context, using: DictionaryExtractor())
        var carrier: [String: String] = [:]

        tracer.withSpan("handle", context: context, ofKind: .server) { span in
            #expect(span.isRecording)
            tracer.inject(span.context, into: &carrier, using: DictionaryInjector())
        }

        let traceparent = try #require(carrier["traceparent"])
        #expect(traceparent.hasPrefix("00-\(JSONLogHandlerTests.traceID)-"))
        #expect(traceparent.hasSuffix("-01"))
    }

    @Test("exporting: every trace is recorded")
    func exportingRecords() throws {
        let tracer = try Self.makeTracer(exportsTraces: true)
        tracer.withSpan("handle", context: .topLevel, ofKind: .server) { span in
            #expect(span.isRecording)
        }
    }

    /// The tracer of ``Observability/tracingConfiguration(serviceName:exportsTraces:diagnosticLogger:)``,
    /// without bootstrapping the global instrumentation system (nothing is exported: the exporter never runs).
    static func makeTracer(exportsTraces: Bool) throws -> some Tracer {
        let configuration = Observability.tracingConfiguration(
            serviceName: "test-service",
            exportsTraces: exportsTraces,
            diagnosticLogger: Logger(label: "otel") { _ in SwiftLogNoOpLogHandler() }
        )
        return try OTel.makeTracingBackend(configuration: configuration).factory
    }
}

struct DictionaryInjector: Injector {
    func inject(_ value: String, forKey key: String, into carrier: inout [String: String]) {
        carrier[key] = value
    }
}
