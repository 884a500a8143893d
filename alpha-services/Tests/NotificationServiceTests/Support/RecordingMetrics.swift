import CoreMetrics
import Foundation
import Synchronization

/// A metrics factory that keeps counter totals and last gauge values in memory, so tests can check what
/// the service reports without touching the process-wide metrics system.
final class RecordingMetrics: MetricsFactory, Sendable {
    private let counters = Mutex<[String: Int64]>([:])
    private let gauges = Mutex<[String: Double]>([:])

    /// The total of the counter `label` with exactly these dimensions (0 if never touched).
    func counter(_ label: String, _ dimensions: [(String, String)] = []) -> Int64 {
        counters.withLock { $0[Self.key(label, dimensions)] ?? 0 }
    }

    /// The last value recorded for the gauge `label`, if any.
    func gauge(_ label: String) -> Double? {
        gauges.withLock { $0[Self.key(label, [])] }
    }

    static func key(_ label: String, _ dimensions: [(String, String)]) -> String {
        ([label] + dimensions.sorted { $0.0 < $1.0 }.map { "\($0.0)=\($0.1)" }).joined(separator: ",")
    }

    func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        RecordingCounter(key: Self.key(label, dimensions), store: self)
    }

    func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        RecordingGauge(key: Self.key(label, dimensions), store: self)
    }

    func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        IgnoredTimer()
    }

    func destroyCounter(_ handler: any CounterHandler) {}
    func destroyRecorder(_ handler: any RecorderHandler) {}
    func destroyTimer(_ handler: any TimerHandler) {}

    fileprivate func add(_ amount: Int64, to key: String) {
        counters.withLock { $0[key, default: 0] += amount }
    }

    fileprivate func set(_ value: Double, for key: String) {
        gauges.withLock { $0[key] = value }
    }
}

private final class RecordingCounter: CounterHandler, Sendable {
    let key: String
    let store: RecordingMetrics

    init(key: String, store: RecordingMetrics) {
        self.key = key
        self.store = store
    }

    func increment(by amount: Int64) { store.add(amount, to: key) }
    func reset() {}
}

private final class RecordingGauge: RecorderHandler, Sendable {
    let key: String
    let store: RecordingMetrics

    init(key: String, store: RecordingMetrics) {
        self.key = key
        self.store = store
    }

    func record(_ value: Int64) { store.set(Double(value), for: key) }
    func record(_ value: Double) { store.set(value, for: key) }
}

private final class IgnoredTimer: TimerHandler, Sendable {
    func recordNanoseconds(_ duration: Int64) {}
}
