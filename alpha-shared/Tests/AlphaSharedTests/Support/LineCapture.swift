import AlphaCore
import Foundation
import Logging
import Synchronization

/// Collects the lines a ``JSONLogHandler`` writes, for tests.
final class LineCapture: Sendable {
    private let storage = Mutex<[String]>([])

    /// The sink to hand to the handler.
    var sink: JSONLogHandler.Sink {
        { line in self.storage.withLock { $0.append(line) } }
    }

    /// Every line so far.
    var lines: [String] { storage.withLock { $0 } }

    /// Every line so far, decoded as JSON objects (lines that are not objects are skipped).
    var objects: [[String: Any]] {
        lines.compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
        }
    }

    /// A logger writing JSON lines into this capture.
    func logger(
        label: String = "alpha.test",
        service: String = "test-service",
        level: Logger.Level = .info,
        metadataProvider: Logger.MetadataProvider? = nil
    ) -> Logger {
        let sink = self.sink
        return Logger(label: label) { label in
            JSONLogHandler(label: label, service: service, level: level, metadataProvider: metadataProvider, sink: sink)
        }
    }
}
