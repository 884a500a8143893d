import AlphaDomain
import Foundation
import GRPCCore
import Testing

@Suite("CheckCredentials (E05) and its throttle (D53)")
struct LoginTests {
    @Test("unknown user ERR-004, wrong password ERR-008, input against the policy ERR-001")
    func loginErrors() async throws {
        try await UserServiceHarness.run { harness in
            await expectError(.userNotFound, status: .notFound) { try await harness.login("nobody") }
            try await harness.registerActivated("alice")
            await expectError(.invalidCredentials, status: .unauthenticated) {
                try await harness.login("alice", password: "Wrong#1234")
            }
            await expectError(.badRequest) { try await harness.login("alice", password: "short") }
            await expectError(.badRequest) { try await harness.login("bad name") }
            #expect(try await harness.login("alice").username == "alice")
        }
    }

    @Test("a non-activated account answers ERR-005 before the password is looked at")
    func notActivatedBeforePassword() async throws {
        try await UserServiceHarness.run { harness in
            try await harness.register("alice")
            await expectError(.userNotActivated) { try await harness.login("alice", password: "Wrong#1234") }
            await expectError(.userNotActivated) { try await harness.login("alice") }
            #expect(try await harness.mails(to: "alice").count == 1)
        }
    }

    @Test("after 5 failed logins within 15 minutes even the right password answers ERR-029 until the window passes")
    func throttle() async throws {
        try await UserServiceHarness.run { harness in
            try await harness.registerActivated("alice")
            for _ in 1...5 {
                await expectError(.invalidCredentials) { try await harness.login("alice", password: "Wrong#1234") }
                harness.clock.advance(by: 60)
            }
            await expectError(.tooManyRequests, status: .resourceExhausted) { try await harness.login("alice") }
            await expectError(.tooManyRequests) { try await harness.login("alice", password: "Wrong#1234") }
            // Other accounts are not affected.
            try await harness.registerActivated("bob")
            #expect(try await harness.login("bob").username == "bob")

            // The window started with the first failure, 5 minutes ago.
            harness.clock.advance(by: 10 * 60 - 1)
            await expectError(.tooManyRequests) { try await harness.login("alice") }
            harness.clock.advance(by: 2)
            #expect(try await harness.login("alice").username == "alice")
        }
    }

    @Test("a successful login resets the failure counter")
    func successResets() async throws {
        try await UserServiceHarness.run { harness in
            try await harness.registerActivated("alice")
            for _ in 1...4 {
                await expectError(.invalidCredentials) { try await harness.login("alice", password: "Wrong#1234") }
            }
            #expect(try await harness.login("alice").username == "alice")
            for _ in 1...4 {
                await expectError(.invalidCredentials) { try await harness.login("alice", password: "Wrong#1234") }
            }
            #expect(try await harness.login("alice").username == "alice")
        }
    }

    @Test("parallel wrong guesses cannot get past the limit")
    func parallelGuesses() async throws {
        try await UserServiceHarness.run { harness in
            try await harness.registerActivated("alice")
            let codes = await concurrentOutcomes(8) { _ in
                _ = try await harness.login("alice", password: "Wrong#1234")
            }
            #expect(codes.filter { $0 == ErrorCode.invalidCredentials.code }.count == 5)
            #expect(codes.filter { $0 == ErrorCode.tooManyRequests.code }.count == 3)
            await expectError(.tooManyRequests) { try await harness.login("alice") }
        }
    }
}
