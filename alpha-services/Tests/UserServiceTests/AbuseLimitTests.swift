import AlphaContracts
import AlphaCore
import AlphaDomain
import AlphaGRPC
import Foundation
import GRPCCore
import Testing

/// Abuse limits (DECISIONS, security round 2): 429 ERR-029 with a retry time, counted in PostgreSQL.
@Suite("Abuse limits: code attempts, code issuance, logins per user and per address")
struct AbuseLimitTests {
    /// The seconds to wait that a 429 carries; fails unless `body` answers ERR-029.
    func retryAfter<T>(sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> T) async -> Int? {
        do {
            _ = try await body()
            Issue.record("expected ERR-029 but the call succeeded", sourceLocation: sourceLocation)
        } catch let error as RPCError {
            let remote = ServiceError(remote: error)
            #expect(remote?.code == ErrorCode.tooManyRequests.code, "\(error)", sourceLocation: sourceLocation)
            #expect(error.code == .resourceExhausted, sourceLocation: sourceLocation)
            return remote?.retryAfterSeconds
        } catch {
            Issue.record("expected ERR-029, got \(error)", sourceLocation: sourceLocation)
        }
        return nil
    }

    func resend(_ harness: UserServiceHarness, _ username: String, from address: String = "") async throws {
        _ = try await harness.accounts.resendActivation(
            .with {
                $0.username = username
                $0.clientAddress = address
            })
    }

    func activate(_ harness: UserServiceHarness, _ username: String, _ code: String) async throws {
        _ = try await harness.activate(username, code: code)
    }

    @Test("wrong codes count per user and purpose across codes: a new code does not reset the count")
    func codeAttemptsAcrossCodes() async throws {
        try await UserServiceHarness.run { harness in
            try await harness.register("alice")
            // 5 wrong guesses invalidate a code (D53); a resend gives 5 more — but at most 10 attempts an hour.
            for round in 0..<2 {
                if round > 0 { try await resend(harness, "alice") }
                let code = try await harness.latestMail(to: "alice", kind: "activation_code").code
                for _ in 1...5 {
                    await expectError(.invalidToken) { try await activate(harness, "alice", wrongCode(for: code)) }
                }
            }
            try await resend(harness, "alice")
            let code = try await harness.latestMail(to: "alice", kind: "activation_code").code
            let wait = await retryAfter { try await activate(harness, "alice", code) }
            #expect(wait == 3600)
            // Another purpose and another user have their own counts.
            _ = try await harness.accounts.requestPasswordReset(.with { $0.username = "alice" })
            await expectError(.passwordResetTokenInvalid) {
                try await harness.accounts.resetPassword(
                    .with {
                        $0.username = "alice"
                        $0.code = "000000"
                        $0.newPassword = "Brand#New1"
                    })
            }
            try await harness.registerActivated("bob")
            // After the window the right code works.
            harness.clock.advance(by: 3601)
            try await activate(harness, "alice", code)
        }
    }

    @Test("code issuance per user: registration + 4 resends, then 429 until the hour has passed")
    func issuancePerUser() async throws {
        try await UserServiceHarness.run { harness in
            try await harness.register("alice")
            for _ in 1...4 { try await resend(harness, "alice") }
            harness.clock.advance(by: 600)
            let wait = await retryAfter { try await resend(harness, "alice") }
            #expect(wait == 3000)
            await expectError(.tooManyRequests) {
                try await harness.accounts.requestPasswordReset(.with { $0.username = "alice" })
            }
            #expect(try await harness.mails(to: "alice").count == 5)
            harness.clock.advance(by: 3001)
            try await resend(harness, "alice")
        }
    }

    @Test("code issuance per client address: 20 an hour from one address, whatever the user; others unaffected")
    func issuancePerAddress() async throws {
        try await UserServiceHarness.run { harness in
            for index in 0..<20 {
                _ = try await harness.accounts.registerUser(
                    .with {
                        $0.username = "user\(index)"
                        $0.email = "user\(index)@example.org"
                        $0.password = UserServiceHarness.password
                        $0.clientAddress = "203.0.113.7"
                    })
            }
            _ = await retryAfter {
                try await harness.accounts.registerUser(
                    .with {
                        $0.username = "user20"
                        $0.email = "user20@example.org"
                        $0.password = UserServiceHarness.password
                        $0.clientAddress = "203.0.113.7"
                    })
            }
            #expect(try await harness.storedRows(of: "user20").users == 0)
            _ = await retryAfter {
                try await harness.accounts.requestPasswordReset(
                    .with {
                        $0.username = "user1"
                        $0.clientAddress = "203.0.113.7"
                    })
            }
            try await resend(harness, "user1", from: "198.51.100.1")
        }
    }

    @Test("failed logins per user and address lock out that address only; a correct login clears them")
    func loginPerUserAndAddress() async throws {
        try await UserServiceHarness.run { harness in
            try await harness.registerActivated("alice")
            func login(_ password: String, from address: String) async throws {
                _ = try await harness.accounts.checkCredentials(
                    .with {
                        $0.username = "alice"
                        $0.password = password
                        $0.clientAddress = address
                    })
            }
            for _ in 1...5 {
                await expectError(.invalidCredentials) { try await login("Wrong#1234", from: "203.0.113.66") }
            }
            let wait = await retryAfter { try await login(UserServiceHarness.password, from: "203.0.113.66") }
            #expect(wait == 900)
            // The attacker cannot lock alice out from everywhere.
            try await login(UserServiceHarness.password, from: "198.51.100.20")
        }
    }

    @Test("failed logins per address across usernames (password spraying) answer 429 after 30")
    func loginPerAddress() async throws {
        try await UserServiceHarness.run { harness in
            let names = (0..<7).map { "user\($0)" }
            for name in names { try await harness.registerActivated(name) }
            var failures = 0
            for _ in 0..<5 {
                for name in names where failures < 30 {
                    await expectError(.invalidCredentials) {
                        try await harness.accounts.checkCredentials(
                            .with {
                                $0.username = name
                                $0.password = "Wrong#1234"
                                $0.clientAddress = "203.0.113.99"
                            })
                    }
                    failures += 1
                }
            }
            _ = await retryAfter {
                try await harness.accounts.checkCredentials(
                    .with {
                        $0.username = "user6"
                        $0.password = UserServiceHarness.password
                        $0.clientAddress = "203.0.113.99"
                    })
            }
            #expect(try await harness.login("user6").username == "user6")
        }
    }
}
