import AlphaCore
import AlphaGRPC
import AlphaTesting
import GRPCCore
import Synchronization
import Testing

@Suite("grpc.health.v1 follows readiness")
struct HealthServiceTests {
    typealias Status = Grpc_Health_V1_HealthCheckResponse.ServingStatus

    let readiness = Readiness()
    var health: HealthService { HealthService(serviceNames: [ProbeService.serviceName], readiness: readiness) }

    @Test("Check answers SERVING for the server and its services, then NOT_SERVING once draining")
    func checkTransitions() async throws {
        let readiness = self.readiness
        try await withInProcessServer(services: [health], identity: TestIdentity(), logger: .quiet) { client in
            let health = Grpc_Health_V1_Health.Client(wrapping: client)
            let before = [
                try await health.check(.with { $0.service = "" }).status,
                try await health.check(.with { $0.service = ProbeService.serviceName }).status,
            ]
            #expect(before == [.serving, .serving])
            readiness.beginDraining()
            let after = [
                try await health.check(.with { $0.service = "" }).status,
                try await health.check(.with { $0.service = ProbeService.serviceName }).status,
            ]
            #expect(after == [.notServing, .notServing])
        }
    }

    @Test("Check of an unknown service is notFound")
    func checkUnknown() async throws {
        try await withInProcessServer(services: [health], identity: TestIdentity(), logger: .quiet) { client in
            let error = await #expect(throws: RPCError.self) {
                try await Grpc_Health_V1_Health.Client(wrapping: client).check(.with { $0.service = "no.such.Service" })
            }
            #expect(error?.code == .notFound)
        }
    }

    @Test("Watch streams SERVING, then NOT_SERVING when draining begins, then ends")
    func watchTransitions() async throws {
        let readiness = self.readiness
        try await withInProcessServer(services: [health], identity: TestIdentity(), logger: .quiet) { client in
            let statuses = try await Grpc_Health_V1_Health.Client(wrapping: client).watch(
                .with { $0.service = ProbeService.serviceName }
            ) { response in
                var statuses: [Status] = []
                for try await message in response.messages {
                    statuses.append(message.status)
                    if statuses.count == 1 { readiness.beginDraining() }
                }
                return statuses
            }
            #expect(statuses == [.serving, .notServing])
        }
    }

    @Test("Watch of an unknown service answers SERVICE_UNKNOWN and ends")
    func watchUnknown() async throws {
        try await withInProcessServer(services: [health], identity: TestIdentity(), logger: .quiet) { client in
            let statuses = try await Grpc_Health_V1_Health.Client(wrapping: client).watch(
                .with { $0.service = "no.such.Service" }
            ) { response in
                try await response.messages.reduce(into: [Status]()) { $0.append($1.status) }
            }
            #expect(statuses == [.serviceUnknown])
        }
    }

    @Test("a Watch opened while draining gets NOT_SERVING and ends at once", .timeLimit(.minutes(1)))
    func watchWhileDraining() async {
        let health = self.health
        readiness.beginDraining()
        let observer = HealthObserver(health)
        #expect(await observer.next() == .notServing)
        #expect(await observer.next() == nil)
    }

    @Test("draining twice notifies once, and readiness lists what fails")
    func readinessChecks() async {
        let readiness = Readiness()
        let calls = CallCounter()
        readiness.onDrainingChange { _ in calls.increment() }
        readiness.addCheck("postgres") { false }
        readiness.addCheck("cache") { true }
        #expect(await readiness.failingChecks() == ["postgres"])
        #expect(!readiness.isDraining)
        readiness.beginDraining()
        readiness.beginDraining()
        #expect(readiness.isDraining)
        #expect(calls.value == 1)
        #expect(await readiness.failingChecks() == ["draining", "postgres"])
    }
}

/// A thread-safe counter for callbacks.
final class CallCounter: Sendable {
    private let storage = Mutex(0)
    func increment() { storage.withLock { $0 += 1 } }
    var value: Int { storage.withLock { $0 } }
}
