import Foundation
import Logging
import Synchronization

/// A swift-log handler that writes one JSON object per line.
///
/// Each line carries `timestamp` (RFC 3339, UTC, milliseconds), `level`, `service`, `logger`, `message`,
/// `metadata` (merged from the logger, the metadata provider and the call) and, when the call happens
/// inside a trace, `trace_id` and `span_id` lifted out of the metadata to the top level.
///
/// ```swift
/// LoggingSystem.bootstrap({ label, provider in
///     JSONLogHandler(label: label, service: "user-service", metadataProvider: provider)
/// }, metadataProvider: tracingMetadataProvider)
/// ```
public struct JSONLogHandler: LogHandler {
    /// Where lines go; stdout by default, a closure in tests.
    public typealias Sink = @Sendable (String) -> Void

    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?

    private let label: String
    private let service: String
    private let sink: Sink

    /// Creates a handler for `label` in process `service`.
    public init(
        label: String,
        service: String,
        level: Logger.Level = .info,
        metadataProvider: Logger.MetadataProvider? = nil,
        sink: @escaping Sink = JSONLogHandler.standardOutput
    ) {
        self.label = label
        self.service = service
        self.logLevel = level
        self.metadataProvider = metadataProvider
        self.sink = sink
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() {
            merged.merge(provided) { _, new in new }
        }
        if let callMetadata = event.metadata {
            merged.merge(callMetadata) { _, new in new }
        }
        var object: [String: Any] = [
            "timestamp": Self.timestamp(Date()),
            "level": event.level.rawValue,
            "service": service,
            "logger": label,
            "message": event.message.description,
        ]
        for key in ["trace_id", "span_id"] {
            if let value = merged.removeValue(forKey: key) {
                object[key] = value.description
            }
        }
        merged.removeValue(forKey: "trace_flags")
        if !merged.isEmpty {
            object["metadata"] = merged.mapValues(Self.jsonValue)
        }
        sink(Self.encode(object))
    }

    /// Writes a line to standard output, whole lines at a time.
    public static let standardOutput: Sink = { line in
        let data = Data((line + "\n").utf8)
        outputLock.withLock { _ in
            FileHandle.standardOutput.write(data)
        }
    }

    private static let outputLock = Mutex(())

    private static func jsonValue(_ value: Logger.Metadata.Value) -> Any {
        switch value {
        case .string(let string): string
        case .stringConvertible(let convertible): convertible.description
        case .array(let array): array.map(jsonValue)
        case .dictionary(let dictionary): dictionary.mapValues(jsonValue)
        }
    }

    private static func encode(_ object: [String: Any]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]),
            let line = String(data: data, encoding: .utf8)
        else {
            return #"{"level":"error","message":"unencodable log line"}"#
        }
        return line
    }

    private static func timestamp(_ date: Date) -> String {
        date.formatted(
            .iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }
}
