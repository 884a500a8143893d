import Foundation
import Logging
import OTel
import ServiceContextModule
import Testing
import Tracing

@testable import AlphaCore

@Suite("JSON log lines")
struct JSONLogHandlerTests {
    /// A W3C `traceparent` with a known trace and parent span (the W3C specification's example).
    static let traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    static let traceID = "0af7651916cd43dd8448eb211c80319c"
    static let parentSpanID = "b7ad6b7169203331"

    @Test("a line is one JSON object with timestamp, level, service, logger, message and metadata")
    func lineShape() throws {
        let capture = LineCapture()
        var logger = capture.logger(label: "user.repository", service: "user-service")
        logger[metadataKey: "schema"] = "user_service"
        logger.warning("slow query", metadata: ["duration_ms": "1200"])

        let line = try #require(capture.lines.first)
        #expect(capture.lines.count == 1)
        #expect(!line.contains("\n"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["timestamp", "level", "service", "logger", "message", "metadata"])
        #expect(object["level"] as? String == "warning")
        #expect(object["service"] as? String == "user-service")
        #expect(object["logger"] as? String == "user.repository")
        #expect(object["message"] as? String == "slow query")
        let metadata = try #require(object["metadata"] as? [String: Any])
        #expect(metadata["schema"] as? String == "user_service")
        #expect(metadata["duration_ms"] as? String == "1200")
    }

    @Test("the timestamp is RFC 3339 in UTC with milliseconds, and is now")
    func timestamp() throws {
        let capture = LineCapture()
        let before = Date()
        capture.logger().info("tick")
        let after = Date()

        let object = try #require(capture.objects.first)
        let timestamp = try #require(object["timestamp"] as? String)
        #expect(timestamp.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/) != nil, "\(timestamp)")
        let parsed = try #require(
            try? Date(timestamp, strategy: .iso8601.year().month().day().time(includingFractionalSeconds: true)))
        #expect(parsed >= before.addingTimeInterval(-0.001) && parsed <= after.addingTimeInterval(0.001))
    }

    @Test("nested metadata stays structured JSON, and call metadata overrides logger metadata")
    func metadataValues() throws {
        let capture = LineCapture()
        var logger = capture.logger()
        logger[metadataKey: "rpc"] = "from logger"
        logger.info(
            "with metadata",
            metadata: ["rpc": "from call", "ids": ["1", "2"], "peer": ["host": "127.0.0.1", "port": "5432"]]
        )

        let metadata = try #require(capture.objects.first?["metadata"] as? [String: Any])
        #expect(metadata["rpc"] as? String == "from call")
        #expect(metadata["ids"] as? [String] == ["1", "2"])
        #expect(metadata["peer"] as? [String: String] == ["host": "127.0.0.1", "port": "5432"])
    }

    @Test("a line without metadata has no metadata key, and messages are escaped")
    func noMetadata() throws {
        let capture = LineCapture()
        capture.logger().info("quote \" and\nnewline")

        #expect(capture.lines.count == 1)
        #expect(!capture.lines[0].contains("\n"))
        let object = try #require(capture.objects.first)
        #expect(object["metadata"] == nil)
        #expect(object["message"] as? String == "quote \" and\nnewline")
    }

    @Test("control characters are escaped, other unicode passes through as UTF-8, and the line round-trips")
    func escaping() throws {
        let capture = LineCapture()
        let message = "nul\u{0}bell\u{7}tab\tcr\rlf\nus\u{1F}quote\"backslash\\slash/ é ü 漢字 🎉 \u{7F}"
        var logger = capture.logger()
        logger[metadataKey: "key \"with\" \n"] = "value\u{1}\u{2028}"
        logger.info("\(message)", metadata: ["list": ["a\tb", "ß"], "nested": ["k\u{8}": "v\u{C}"]])

        let line = try #require(capture.lines.first)
        #expect(!line.utf8.contains(where: { $0 < 0x20 }), "raw control bytes in \(line)")
        #expect(line.contains(#"nul\u0000bell\u0007tab\tcr\rlf\nus\u001fquote\"backslash\\slash/"#))
        #expect(line.contains("é ü 漢字 🎉"))
        let object = try #require(capture.objects.first)
        #expect(object["message"] as? String == message)
        let metadata = try #require(object["metadata"] as? [String: Any])
        #expect(metadata["key \"with\" \n"] as? String == "value\u{1}\u{2028}")
        #expect(metadata["list"] as? [String] == ["a\tb", "ß"])
        #expect(metadata["nested"] as? [String: String] == ["k\u{8}": "v\u{C}"])
    }

    @Test(
        "timestamps are civil UTC dates with milliseconds, across leap days and before 1970",
        arguments: [
            (0, 0, "1970-01-01T00:00:00.000Z"),
            (951_868_799, 999, "2000-02-29T23:59:59.999Z"),
            (1_798_761_599, 5, "2026-12-31T23:59:59.005Z"),
            (4_107_542_400, 120, "2100-03-01T00:00:00.120Z"),
            (-1, 500, "1969-12-31T23:59:59.500Z"),
        ])
    func civilTimestamps(seconds: Int, milliseconds: Int, expected: String) {
        var buffer: [UInt8] = []
        JSONLineEncoder.appendTimestamp(seconds: Int64(seconds), milliseconds: milliseconds, to: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == expected)
    }

    @Test("messages below the configured level are not written")
    func levelFilter() {
        let capture = LineCapture()
        let logger = capture.logger(level: .notice)
        logger.info("dropped")
        logger.notice("kept")
        #expect(capture.objects.map { $0["message"] as? String } == ["kept"])
    }

    @Test("inside a continued trace, trace_id and span_id are top-level fields, not metadata")
    func traceIDsFromContext() throws {
        let tracer = try Self.makeTracer()
        var context = ServiceContext.topLevel
        tracer.extract(["traceparent": Self.traceparent], into: &context, using: DictionaryExtractor())
        let capture = LineCapture()
        let logger = capture.logger(metadataProvider: OTel.makeLoggingMetadataProvider())

        ServiceContext.withValue(context) {
            logger.info("inside", metadata: ["user": "alice"])
        }
        logger.info("outside")

        let objects = capture.objects
        try #require(objects.count == 2)
        #expect(objects[0]["trace_id"] as? String == Self.traceID)
        #expect(objects[0]["span_id"] as? String == Self.parentSpanID)
        let metadata = try #require(objects[0]["metadata"] as? [String: Any])
        #expect(Set(metadata.keys) == ["user"])
        #expect(objects[1]["trace_id"] == nil)
        #expect(objects[1]["span_id"] == nil)
    }

    @Test("inside a span, the line carries the trace's id and the span's own id")
    func traceIDsInsideSpan() async throws {
        let tracer = try Self.makeTracer()
        var context = ServiceContext.topLevel
        tracer.extract(["traceparent": Self.traceparent], into: &context, using: DictionaryExtractor())
        let capture = LineCapture()
        let logger = capture.logger(metadataProvider: OTel.makeLoggingMetadataProvider())

        tracer.withSpan("handle", context: context, ofKind: .server) { _ in
            logger.info("in span")
        }

        let object = try #require(capture.objects.first)
        #expect(object["trace_id"] as? String == Self.traceID)
        let spanID = try #require(object["span_id"] as? String)
        #expect(spanID.wholeMatch(of: /[0-9a-f]{16}/) != nil)
        #expect(spanID != Self.parentSpanID)
        #expect(object["metadata"] == nil)
    }

    /// swift-otel's tracer, built without bootstrapping the global instrumentation system.
    static func makeTracer() throws -> some Tracer {
        var configuration = OTel.Configuration.default
        configuration.serviceName = "test-service"
        configuration.diagnosticLogger = .custom(Logger(label: "otel") { _ in SwiftLogNoOpLogHandler() })
        configuration.logs.enabled = false
        configuration.metrics.enabled = false
        configuration.traces.exporter = .none
        return try OTel.makeTracingBackend(configuration: configuration).factory
    }
}

struct DictionaryExtractor: Extractor {
    func extract(key: String, from carrier: [String: String]) -> String? {
        carrier[key]
    }
}
