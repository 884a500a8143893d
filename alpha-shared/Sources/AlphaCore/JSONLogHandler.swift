import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A swift-log handler that writes one JSON object per line.
///
/// Each line carries `timestamp` (RFC 3339, UTC, milliseconds), `level`, `service`, `logger`, `message`,
/// `metadata` (merged from the logger, the metadata provider and the call) and, when the call happens
/// inside a trace, `trace_id` and `span_id` lifted out of the metadata to the top level.
///
/// A line costs a few microseconds: it is encoded by hand into one byte buffer (fixed field order, no
/// key sorting, no Foundation JSON) and handed to a ``LogWriter``, whose own thread writes it to
/// stdout; `error` and `critical` lines are flushed before the call returns.
///
/// ```swift
/// LoggingSystem.bootstrap({ label, provider in
///     JSONLogHandler(label: label, service: "user-service", metadataProvider: provider)
/// }, metadataProvider: tracingMetadataProvider)
/// ```
public struct JSONLogHandler: LogHandler {
    /// A destination taking whole lines (without the newline), e.g. a capture in tests.
    public typealias Sink = @Sendable (String) -> Void

    /// The minimum level written (`LOG_LEVEL`).
    public var logLevel: Logger.Level = .info
    /// Metadata attached to every line of this logger.
    public var metadata: Logger.Metadata = [:]
    /// Metadata added at log time (the trace and span ids).
    public var metadataProvider: Logger.MetadataProvider?

    private enum Output: Sendable {
        case writer(LogWriter)
        case sink(Sink)
    }

    /// `,"service":"…","logger":"…"`, encoded once.
    private let fixedFields: [UInt8]
    private let output: Output

    /// Creates a handler for `label` in process `service` writing through `writer` (stdout by default).
    public init(
        label: String,
        service: String,
        level: Logger.Level = .info,
        metadataProvider: Logger.MetadataProvider? = nil,
        writer: LogWriter = .standardOutput
    ) {
        self.init(
            label: label, service: service, level: level, metadataProvider: metadataProvider, output: .writer(writer))
    }

    /// Creates a handler for `label` in process `service` handing each line to `sink`, synchronously.
    public init(
        label: String,
        service: String,
        level: Logger.Level = .info,
        metadataProvider: Logger.MetadataProvider? = nil,
        sink: @escaping Sink
    ) {
        self.init(label: label, service: service, level: level, metadataProvider: metadataProvider, output: .sink(sink))
    }

    private init(
        label: String,
        service: String,
        level: Logger.Level,
        metadataProvider: Logger.MetadataProvider?,
        output: Output
    ) {
        var fixed: [UInt8] = []
        fixed.append(contentsOf: #","service":"#.utf8)
        JSONLineEncoder.appendString(service, to: &fixed)
        fixed.append(contentsOf: #","logger":"#.utf8)
        JSONLineEncoder.appendString(label, to: &fixed)
        self.fixedFields = fixed
        self.logLevel = level
        self.metadataProvider = metadataProvider
        self.output = output
    }

    /// One metadata value of this logger.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Encodes `event` as one JSON line and hands it to the output.
    public func log(event: LogEvent) {
        // Merge only when there is more than one source (the common line has one or none).
        var merged = metadata
        if let provided = metadataProvider?.get(), !provided.isEmpty {
            if merged.isEmpty { merged = provided } else { merged.merge(provided) { _, new in new } }
        }
        if let callMetadata = event.metadata, !callMetadata.isEmpty {
            if merged.isEmpty { merged = callMetadata } else { merged.merge(callMetadata) { _, new in new } }
        }
        let traceID = merged.removeValue(forKey: "trace_id")
        let spanID = merged.removeValue(forKey: "span_id")
        merged.removeValue(forKey: "trace_flags")

        var line: [UInt8] = []
        line.reserveCapacity(256)
        line.append(contentsOf: #"{"timestamp":""#.utf8)
        JSONLineEncoder.appendTimestamp(to: &line)
        line.append(contentsOf: #"","level":""#.utf8)
        line.append(contentsOf: event.level.rawValue.utf8)
        line.append(UInt8(ascii: "\""))
        line.append(contentsOf: fixedFields)
        line.append(contentsOf: #","message":"#.utf8)
        JSONLineEncoder.appendString(event.message.description, to: &line)
        if let traceID {
            line.append(contentsOf: #","trace_id":"#.utf8)
            JSONLineEncoder.appendString(traceID.description, to: &line)
        }
        if let spanID {
            line.append(contentsOf: #","span_id":"#.utf8)
            JSONLineEncoder.appendString(spanID.description, to: &line)
        }
        if !merged.isEmpty {
            line.append(contentsOf: #","metadata":"#.utf8)
            JSONLineEncoder.appendDictionary(merged, to: &line)
        }
        line.append(UInt8(ascii: "}"))

        switch output {
        case .writer(let writer):
            line.append(0x0A)
            writer.append(line, urgent: event.level >= .error)
        case .sink(let sink):
            sink(String(decoding: line, as: UTF8.self))
        }
    }

    /// Writes a line to standard output through ``LogWriter/standardOutput``.
    public static let standardOutput: Sink = { line in
        LogWriter.standardOutput.append(Array((line + "\n").utf8))
    }
}

/// Hand-written JSON encoding of log lines into a byte buffer.
enum JSONLineEncoder {
    /// Appends `string` as a JSON string literal (quotes included). UTF-8 passes through unchanged;
    /// `"`, `\` and the control characters U+0000–U+001F are escaped (RFC 8259 §7).
    static func appendString(_ string: String, to buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { bytes in
            var runStart = 0
            for index in 0..<bytes.count {
                let byte = bytes[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                if runStart < index {
                    buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                }
                appendEscaped(byte, to: &buffer)
                runStart = index + 1
            }
            if runStart < bytes.count {
                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count]))
            }
        }
        buffer.append(UInt8(ascii: "\""))
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private static func appendEscaped(_ byte: UInt8, to buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""): buffer.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): buffer.append(UInt8(ascii: "\\"))
        case 0x08: buffer.append(UInt8(ascii: "b"))
        case 0x0C: buffer.append(UInt8(ascii: "f"))
        case 0x0A: buffer.append(UInt8(ascii: "n"))
        case 0x0D: buffer.append(UInt8(ascii: "r"))
        case 0x09: buffer.append(UInt8(ascii: "t"))
        default:
            buffer.append(contentsOf: "u00".utf8)
            buffer.append(hexDigits[Int(byte >> 4)])
            buffer.append(hexDigits[Int(byte & 0x0F)])
        }
    }

    static func appendValue(_ value: Logger.Metadata.Value, to buffer: inout [UInt8]) {
        switch value {
        case .string(let string):
            appendString(string, to: &buffer)
        case .stringConvertible(let convertible):
            appendString(convertible.description, to: &buffer)
        case .array(let array):
            buffer.append(UInt8(ascii: "["))
            for (index, element) in array.enumerated() {
                if index > 0 { buffer.append(UInt8(ascii: ",")) }
                appendValue(element, to: &buffer)
            }
            buffer.append(UInt8(ascii: "]"))
        case .dictionary(let dictionary):
            appendDictionary(dictionary, to: &buffer)
        }
    }

    static func appendDictionary(_ dictionary: Logger.Metadata, to buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "{"))
        var first = true
        for (key, value) in dictionary {
            if !first { buffer.append(UInt8(ascii: ",")) }
            first = false
            appendString(key, to: &buffer)
            buffer.append(UInt8(ascii: ":"))
            appendValue(value, to: &buffer)
        }
        buffer.append(UInt8(ascii: "}"))
    }

    /// Appends the current time as `YYYY-MM-DDTHH:MM:SS.mmmZ` (RFC 3339, UTC, milliseconds).
    static func appendTimestamp(to buffer: inout [UInt8]) {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        appendTimestamp(seconds: Int64(now.tv_sec), milliseconds: Int(now.tv_nsec / 1_000_000), to: &buffer)
    }

    /// Appends the instant `seconds` after the Unix epoch plus `milliseconds`, in UTC.
    static func appendTimestamp(seconds: Int64, milliseconds: Int, to buffer: inout [UInt8]) {
        var days = seconds / 86_400
        var secondOfDay = seconds % 86_400
        if secondOfDay < 0 {
            secondOfDay += 86_400
            days -= 1
        }
        // Civil date from days since 1970-01-01 (H. Hinnant, "chrono-compatible low-level date algorithms").
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)

        appendDigits(Int(year), count: 4, to: &buffer)
        buffer.append(UInt8(ascii: "-"))
        appendDigits(Int(month), count: 2, to: &buffer)
        buffer.append(UInt8(ascii: "-"))
        appendDigits(Int(day), count: 2, to: &buffer)
        buffer.append(UInt8(ascii: "T"))
        appendDigits(Int(secondOfDay / 3600), count: 2, to: &buffer)
        buffer.append(UInt8(ascii: ":"))
        appendDigits(Int(secondOfDay / 60 % 60), count: 2, to: &buffer)
        buffer.append(UInt8(ascii: ":"))
        appendDigits(Int(secondOfDay % 60), count: 2, to: &buffer)
        buffer.append(UInt8(ascii: "."))
        appendDigits(milliseconds, count: 3, to: &buffer)
        buffer.append(UInt8(ascii: "Z"))
    }

    private static func appendDigits(_ value: Int, count: Int, to buffer: inout [UInt8]) {
        var divisor = 1
        for _ in 1..<count { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            buffer.append(UInt8(ascii: "0") + UInt8(rest / divisor % 10))
            rest %= divisor
            divisor /= 10
        }
    }
}
