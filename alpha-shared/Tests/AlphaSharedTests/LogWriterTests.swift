import AlphaCore
import Foundation
import Logging
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("Log lines are written off the request path, in order, and flushed")
struct LogWriterTests {
    @Test("every line reaches the file in order once flushed, each a JSON object")
    func flushWritesEverything() throws {
        let file = try TemporaryLogFile()
        let writer = LogWriter(fileDescriptor: file.descriptor)
        defer { writer.close() }
        let logger = Logger(label: "alpha.test") { JSONLogHandler(label: $0, service: "test-service", writer: writer) }
        for index in 0..<500 {
            logger.info("line \(index)", metadata: ["index": "\(index)"])
        }
        #expect(writer.flush(timeout: .seconds(10)))

        let lines = file.lines()
        #expect(lines.count == 500)
        let messages = lines.compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["message"] as? String
        }
        #expect(messages == (0..<500).map { "line \($0)" })
        #expect(writer.droppedLines == 0)
    }

    @Test("an error line is on disk when the logging call returns, without an explicit flush")
    func errorLinesAreFlushed() throws {
        let file = try TemporaryLogFile()
        let writer = LogWriter(fileDescriptor: file.descriptor)
        defer { writer.close() }
        let logger = Logger(label: "alpha.test") { JSONLogHandler(label: $0, service: "test-service", writer: writer) }
        logger.info("before")
        logger.error("it broke", metadata: ["code": "ERR-009"])

        let lines = file.lines()
        try #require(lines.count == 2)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(lines[1].utf8)) as? [String: Any])
        #expect(object["level"] as? String == "error")
        #expect(object["message"] as? String == "it broke")
    }

    @Test("when the output is slower than the process, lines are dropped and counted, never waited for")
    func fullBufferDropsAndCounts() throws {
        var descriptors: [Int32] = [0, 0]
        try #require(pipe(&descriptors) == 0)
        defer { close(descriptors[0]) }
        let writer = LogWriter(fileDescriptor: descriptors[1], capacityBytes: 1024)
        let reported = DropTally()
        writer.reportDrops { count in reported.add(count) }
        let logger = Logger(label: "alpha.test") { JSONLogHandler(label: $0, service: "test-service", writer: writer) }

        // Nobody reads the pipe: it fills (64 KiB), the writer blocks, the 1 KiB buffer fills.
        let started = ContinuousClock.now
        for index in 0..<5_000 {
            logger.info("a line long enough to fill the pipe quickly, number \(index)")
        }
        #expect(ContinuousClock.now - started < .seconds(5), "logging must not wait for the output")
        let dropped = writer.droppedLines
        #expect(dropped > 0)

        // Drain the pipe: the writer catches up and writes one notice with the count.
        _ = fcntl(descriptors[0], F_SETFL, fcntl(descriptors[0], F_GETFL) | O_NONBLOCK)
        var text = ""
        let deadline = ContinuousClock.now + .seconds(10)
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while !text.contains("log lines dropped") && ContinuousClock.now < deadline {
            let count = read(descriptors[0], &buffer, buffer.count)
            if count > 0 {
                text += String(decoding: buffer[0..<count], as: UTF8.self)
            } else {
                usleep(10_000)
            }
        }
        #expect(text.contains("log lines dropped"))
        #expect(reported.total > 0)
        writer.close()
        close(descriptors[1])
        #expect(reported.total == writer.droppedLines)
    }
}

/// Counts what the writer reports as dropped.
final class DropTally: Sendable {
    private let count = Mutex(0)
    func add(_ value: Int) { count.withLock { $0 += value } }
    var total: Int { count.withLock { $0 } }
}

/// A temporary file opened for appending, removed at deinit.
final class TemporaryLogFile {
    let path: String
    let descriptor: Int32

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("alpha-log-\(UUID().uuidString).log").path
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0o600)
        guard descriptor >= 0 else { throw CocoaError(.fileWriteUnknown) }
    }

    /// The lines written so far.
    func lines() -> [String] {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map(String.init)
    }

    deinit {
        close(descriptor)
        unlink(path)
    }
}
