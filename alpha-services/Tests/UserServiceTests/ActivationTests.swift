import AlphaContracts
import AlphaDomain
import Foundation
import Testing

@Suite("ActivateUser and ResendActivation (E03, E04)")
struct ActivationTests {
    @Test("register → the mailed code activates → login succeeds; a welcome mail follows and the code is consumed")
    func registerActivateLogin() async throws {
        try await UserServiceHarness.run { harness in
            try await harness.register("alice")
            let code = try await harness.latestMail(to: "alice", kind: "activation_code").code

            // Not activated yet: login answers ERR-005 and mails nothing new.
            await expectError(.userNotActivated, status: .permissionDenied) { try await harness.login("alice") }
            #expect(try await harness.mails(to: "alice").count == 1)

            let activated = try await harness.activate("alice", code: code)
            #expect(activated.username == "alice")
            #expect(try await harness.accounts.checkUser(.with { $0.username = "alice" }).activated)

            let mails = try await harness.mails(to: "alice")
            #expect(mails.map(\.kind) == ["activation_code", "welcome"])
            #expect(mails.last?.code == "")
            #expect(mails.last?.toAddress == "alice@example.org")
            #expect(try await harness.storedCode(of: "alice", purpose: "activation") == nil)

            #expect(try await harness.login("alice").username == "alice")

            // Activating or resending again: already activated (ERR-013).
            await expectError(.userAlreadyActivated, status: .failedPrecondition) {
                try await harness.activate("alice", code: code)
            }
            await expectError(.userAlreadyActivated) {
                try await harness.accounts.resendActivation(.with { $0.username = "alice" })
            }
        }
    }

    @Test("unknown user answers ERR-004, a malformed code ERR-001, a wrong code ERR-007")
    func activationErrors() async throws {
        try await UserServiceHarness.run { harness in
            await expectError(.userNotFound, status: .notFound) { try await harness.activate("nobody", code: "123456") }
            await expectError(.userNotFound) {
                try await harness.accounts.resendActivation(.with { $0.username = "nobody" })
            }
            try await harness.register("alice")
            let code = try await harness.latestMail(to: "alice", kind: "activation_code").code
            await expectError(.badRequest, status: .invalidArgument) {
                try await harness.activate("alice", code: "12345")
            }
            await expectError(.badRequest) { try await harness.activate("alice", code: "12345a") }
            await expectError(.invalidToken, status: .unauthenticated) {
                try await harness.activate("alice", code: wrongCode(for: code))
            }
            #expect(try await harness.storedCode(of: "alice", purpose: "activation")?.attempts == 1)
            // Codes are scoped to their user: bob's code does not activate alice.
            try await harness.register("bob")
            let bobsCode = try await harness.latestMail(to: "bob", kind: "activation_code").code
            if bobsCode != code {
                await expectError(.invalidToken) { try await harness.activate("alice", code: bobsCode) }
            }
            #expect(try await harness.activate("alice", code: code).username == "alice")
        }
    }

    @Test("the right code after 24 h answers ERR-006 and mails a new code, which then activates")
    func expiredCode() async throws {
        try await UserServiceHarness.run { harness in
            try await harness.register("alice")
            let first = try await harness.latestMail(to: "alice", kind: "activation_code").code

            harness.clock.advance(by: 24 * 3600 - 1)
            // Still valid one second before expiry, but a wrong guess must not reveal that.
            await expectError(.invalidToken) { try await harness.activate("alice", code: wrongCode(for: first)) }

            harness.clock.advance(by: 2)
            await expectError(.activationTokenExpired, status: .unauthenticated) {
                try await harness.activate("alice", code: first)
            }
            let mails = try await harness.mails(to: "alice")
            #expect(mails.map(\.kind) == ["activation_code", "activation_code"])
            let second = try #require(mails.last).code
            let stored = try #require(try await harness.storedCode(of: "alice", purpose: "activation"))
            #expect(stored.code == second)
            #expect(stored.attempts == 0)
            #expect(abs(stored.expiresAt.timeIntervalSince(harness.clock.now()) - 24 * 3600) < 1)
            #expect(try await harness.accounts.checkUser(.with { $0.username = "alice" }).activated == false)

            #expect(try await harness.activate("alice", code: second).username == "alice")
        }
    }

    @Test(
        "after 5 wrong codes the code is invalidated: the right code then answers ERR-007 until a new one is requested")
    func attemptLimit() async throws {
        try await UserServiceHarness.run { harness in
            try await harness.register("alice")
            let code = try await harness.latestMail(to: "alice", kind: "activation_code").code
            for _ in 1...5 {
                await expectError(.invalidToken) { try await harness.activate("alice", code: wrongCode(for: code)) }
            }
            #expect(try await harness.storedCode(of: "alice", purpose: "activation") == nil)
            await expectError(.invalidToken) { try await harness.activate("alice", code: code) }

            // A new code comes with fresh attempts: 4 wrong guesses still leave it usable. (An hour later:
            // attempts across codes are limited too, 10 an hour — AbuseLimitTests.)
            harness.clock.advance(by: 3601)
            _ = try await harness.accounts.resendActivation(.with { $0.username = "alice" })
            let fresh = try await harness.latestMail(to: "alice", kind: "activation_code").code
            for _ in 1...4 {
                await expectError(.invalidToken) { try await harness.activate("alice", code: wrongCode(for: fresh)) }
            }
            #expect(try await harness.activate("alice", code: fresh).username == "alice")
        }
    }

    @Test("resend replaces the code: the old one stops working, the new one is valid for 24 h")
    func resendReplacesCode() async throws {
        try await UserServiceHarness.run { harness in
            try await harness.register("alice")
            let old = try await harness.latestMail(to: "alice", kind: "activation_code").code
            harness.clock.advance(by: 3600)
            let response = try await harness.accounts.resendActivation(.with { $0.username = "alice" })
            #expect(response == Alpha_User_V1_ResendActivationResponse())
            let mails = try await harness.mails(to: "alice")
            #expect(mails.map(\.kind) == ["activation_code", "activation_code"])
            let new = try #require(mails.last).code
            let stored = try #require(try await harness.storedCode(of: "alice", purpose: "activation"))
            #expect(stored.code == new)
            #expect(abs(stored.expiresAt.timeIntervalSince(harness.clock.now()) - 24 * 3600) < 1)
            if old != new {
                await expectError(.invalidToken) { try await harness.activate("alice", code: old) }
            }
            #expect(try await harness.activate("alice", code: new).username == "alice")
        }
    }
}
