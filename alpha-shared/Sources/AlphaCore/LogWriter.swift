import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes log lines to a file descriptor from its own thread, so a request never waits on stdout.
///
/// Callers append whole lines to a bounded in-memory buffer (one lock, one copy) and return; the
/// writer thread swaps the buffer out and writes it with one `write(2)` per batch. Two rules keep the
/// log honest:
/// - **Full buffer → the line is dropped and counted.** When the buffer already holds `capacityBytes`
///   (the reader of stdout is slower than the process logs), new lines are not written; the count is
///   available as ``droppedLines``, is handed to the drop reporter (the kit counts it in the
///   `log_lines_dropped_total` metric) and is written as one `warning` line once the writer catches up.
///   Logging never blocks or slows a request, and memory stays bounded.
/// - **Urgent lines are flushed.** `error` and `critical` lines are written before the logging call
///   returns (the caller waits up to ``urgentFlushTimeout``), so the line that explains a crash is
///   not lost; the process's exit flushes too (``flush(timeout:)`` runs from `atexit`).
///
/// ```swift
/// let writer = LogWriter.standardOutput
/// writer.append(Array("{\"message\":\"hello\"}\n".utf8))
/// writer.flush()
/// ```
public final class LogWriter: @unchecked Sendable {
    /// Standard output, shared by every ``JSONLogHandler`` of the process; flushed at exit.
    public static let standardOutput: LogWriter = {
        let writer = LogWriter(fileDescriptor: 1)
        atexit { _ = LogWriter.standardOutput.flush(timeout: .seconds(2)) }
        return writer
    }()

    /// How long an urgent (error-level) line may wait for the writer before the caller goes on.
    public static let urgentFlushTimeout: Duration = .seconds(1)

    private let fileDescriptor: Int32
    private let capacityBytes: Int
    // Guarded by `condition`.
    private let condition = NSCondition()
    private var pending: [UInt8] = []
    private var appended: UInt64 = 0
    private var written: UInt64 = 0
    private var dropped = 0
    private var droppedUnreported = 0
    private var closed = false
    private var finished = false
    private var dropReporter: (@Sendable (Int) -> Void)?

    /// Starts a writer thread for `fileDescriptor` (not closed by the writer). `capacityBytes` bounds
    /// the memory held by lines waiting to be written (default 4 MiB).
    public init(fileDescriptor: Int32, capacityBytes: Int = 4 << 20) {
        self.fileDescriptor = fileDescriptor
        self.capacityBytes = max(capacityBytes, 1024)
        pending.reserveCapacity(min(self.capacityBytes, 64 * 1024))
        let thread = Thread { [self] in runWriter() }
        thread.name = "alpha-log-writer"
        thread.start()
    }

    /// Lines dropped so far because the buffer was full.
    public var droppedLines: Int {
        condition.lock()
        defer { condition.unlock() }
        return dropped
    }

    /// Called from the writer thread with the number of lines dropped since the last call.
    public func reportDrops(to reporter: @escaping @Sendable (Int) -> Void) {
        condition.lock()
        dropReporter = reporter
        condition.unlock()
    }

    /// Queues `line` (which must end with a newline). With `urgent`, waits until it is written.
    public func append(_ line: [UInt8], urgent: Bool = false) {
        condition.lock()
        guard !closed, pending.count + line.count <= capacityBytes else {
            dropped += 1
            droppedUnreported += 1
            condition.unlock()
            return
        }
        let wasEmpty = pending.isEmpty
        pending.append(contentsOf: line)
        appended &+= UInt64(line.count)
        let target = appended
        // The writer only sleeps when there was nothing to write: wake it on the first line.
        if wasEmpty { condition.broadcast() }
        if urgent {
            let timeout = Self.urgentFlushTimeout.inSeconds
            _ = waitUntilWritten(target, deadline: Date(timeIntervalSinceNow: timeout))
        }
        condition.unlock()
    }

    /// Waits until every line appended so far is written; false when `timeout` passed first.
    @discardableResult
    public func flush(timeout: Duration = .seconds(5)) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        condition.broadcast()
        return waitUntilWritten(appended, deadline: Date(timeIntervalSinceNow: timeout.inSeconds))
    }

    /// Writes what is queued (and the count of drops), then stops the writer thread and returns.
    /// Lines appended afterwards are dropped. The file descriptor stays open.
    public func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        while !finished { condition.wait() }
        condition.unlock()
    }

    /// With the lock held.
    private func waitUntilWritten(_ target: UInt64, deadline: Date) -> Bool {
        while written < target {
            if !condition.wait(until: deadline) { return written >= target }
        }
        return true
    }

    private func runWriter() {
        var batch: [UInt8] = []
        batch.reserveCapacity(64 * 1024)
        while true {
            condition.lock()
            while pending.isEmpty && droppedUnreported == 0 && !closed {
                condition.wait()
            }
            if pending.isEmpty && droppedUnreported == 0 && closed {
                finished = true
                condition.broadcast()
                condition.unlock()
                return
            }
            swap(&batch, &pending)
            let drops = droppedUnreported
            droppedUnreported = 0
            let reporter = dropReporter
            condition.unlock()

            let count = batch.count
            if drops > 0 {
                batch.append(contentsOf: Self.dropLine(drops))
                reporter?(drops)
            }
            writeAll(batch)
            batch.removeAll(keepingCapacity: batch.capacity <= 1 << 20)

            condition.lock()
            // Counted in appended bytes: the drop notice is not part of what callers appended.
            written &+= UInt64(count)
            condition.broadcast()
            condition.unlock()
        }
    }

    /// Writes everything, retrying short writes and EINTR; gives up on other errors (a closed stdout
    /// must not take the process down).
    private func writeAll(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let result = write(fileDescriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if result > 0 {
                    offset += result
                } else if result < 0 && errno == EINTR {
                    continue
                } else {
                    return
                }
            }
        }
    }

    private static func dropLine(_ count: Int) -> [UInt8] {
        Array(
            #"{"level":"warning","logger":"alpha.log","message":"log lines dropped: the output was slower than the process","metadata":{"dropped":"\#(count)"}}"#
                .utf8) + [0x0A]
    }
}
