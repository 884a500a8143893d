import AlphaCore
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
}
