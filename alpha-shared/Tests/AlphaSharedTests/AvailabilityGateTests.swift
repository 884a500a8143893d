import AlphaCore
import Synchronization
import Testing

@Suite("Availability gate")
struct AvailabilityGateTests {
    @Test("waiters wake when the gate closes; a closed gate answers at once; marks report changes")
    func waiting() async throws {
        let gate = AvailabilityGate(name: "postgres")
        #expect(gate.isAvailable)
        let waiter = Task { await gate.waitUntilUnavailable() }
        try await Task.sleep(for: .milliseconds(50))
        #expect(gate.markUnavailable())
        await waiter.value
        #expect(!gate.markUnavailable())
        await gate.waitUntilUnavailable()
        #expect(gate.markAvailable())
        #expect(!gate.markAvailable())
    }

    @Test("a cancelled waiter returns without the gate closing")
    func cancellation() async {
        let gate = AvailabilityGate(name: "postgres")
        let waiter = Task { await gate.waitUntilUnavailable() }
        waiter.cancel()
        await waiter.value
        #expect(gate.isAvailable)
    }

    @Test("a close handler runs once when the gate closes, not after it was cancelled, and not on a closed gate")
    func closeHandlers() {
        let gate = AvailabilityGate(name: "postgres")
        let runs = Runs()
        let first = gate.onUnavailable { runs.names.withLock { $0.append("first") } }
        let second = gate.onUnavailable { runs.names.withLock { $0.append("second") } }
        #expect(first != nil && second != nil)
        second?.cancel()
        #expect(gate.markUnavailable())
        #expect(runs.names.withLock { $0 } == ["first"])
        gate.markAvailable()
        #expect(!gate.markAvailable())
        gate.markUnavailable()
        #expect(runs.names.withLock { $0 } == ["first"], "a handler runs at most once")
        #expect(gate.onUnavailable { runs.names.withLock { $0.append("late") } } == nil)
        first?.cancel()
        #expect(runs.names.withLock { $0 } == ["first"])
    }
}

private final class Runs: Sendable {
    let names = Mutex<[String]>([])
}
