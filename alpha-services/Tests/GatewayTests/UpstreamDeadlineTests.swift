import AlphaContracts
import AlphaDomain
import AlphaPostgres
import GRPCCore
import Testing

@testable import Gateway

/// A slow upstream, reproduced: the user service waits on a row another transaction holds, over real
/// loopback gRPC, until the call's deadline. That is the contract's one 500 for a dependency (CONTRACT
/// §1.1 "Upstream timeout", §2.3, D42: a timeout surfaces as 500 ERR-009), answered at the deadline, not
/// after; an upstream that is down or refuses is 503 (``PictureUploadsTests``), and the same call succeeds
/// once the row is free.
@Suite("Upstream deadline: a slow upstream is 500 ERR-009 at the deadline")
struct UpstreamDeadlineTests {
    @Test("a call stuck behind a row lock ends at its deadline as 500 ERR-009; once the lock is gone it succeeds")
    func slowUpstream() async throws {
        try await PictureServices.run(
            label: "upstream-deadline-tests", registering: ["alice"], deadline: PictureUploadsTests.harnessDeadline
        ) { services in
            let accounts = Alpha_User_V1_Accounts.Client(wrapping: services.client)
            var options = CallOptions.defaults
            options.timeout = .milliseconds(300)
            let locked = AsyncStream<Void>.makeStream()
            let holder = Task {
                try await services.userDatabase.transaction(logger: services.logger) { connection in
                    _ = try await connection.query(
                        "SELECT 1 FROM users WHERE username = 'alice' FOR UPDATE", logger: services.logger
                    ).collect()
                    locked.continuation.yield()
                    try await Task.sleep(for: .seconds(2))
                }
            }
            for await _ in locked.stream { break }
            let started = ContinuousClock.now
            await #expect(throws: APIError(.internalServerError)) {
                _ = try await upstream(logger: services.logger) {
                    try await accounts.resendActivation(.with { $0.username = "alice" }, options: options)
                }
            }
            #expect(ContinuousClock.now - started < .seconds(1.5), "answered at the deadline, not after the lock")
            try await holder.value
            // The same call once the row is free, with a deadline a loaded test run always meets.
            options.timeout = .seconds(20)
            _ = try await upstream(logger: services.logger) {
                try await accounts.resendActivation(.with { $0.username = "alice" }, options: options)
            }
        }
    }
}
