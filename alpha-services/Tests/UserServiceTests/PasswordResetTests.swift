import AlphaContracts
import AlphaDomain
import Foundation
import Testing

@Suite("RequestPasswordReset and ResetPassword (E07, E08)")
struct PasswordResetTests {
    func reset(_ harness: UserServiceHarness, _ username: String, code: String, to password: String) async throws {
        _ = try await harness.accounts.resetPassword(
            .with {
                $0.username = username
                $0.code = code
                $0.newPassword = password
            }
        )
    }

    @Test("request → masked e-mail and a reset mail → the code sets the new password once; the old one stops working")
    func resetFlow() async throws {
        try await UserServiceHarness.run { harness in
            try await harness.registerActivated("alice")
            let response = try await harness.accounts.requestPasswordReset(.with { $0.username = "alice" })
            #expect(response.maskedEmail == EmailMasking.masked("alice@example.org"))
            #expect(response.maskedEmail == "ali****@example.org")

            let mail = try await harness.latestMail(to: "alice", kind: "password_reset_code")
            #expect(mail.toAddress == "alice@example.org")
            #expect(ValidationRules.isValidCode(mail.code))

            await expectError(.passwordResetTokenInvalid, status: .permissionDenied) {
                try await reset(harness, "alice", code: wrongCode(for: mail.code), to: "Brand#New1")
            }
            try await reset(harness, "alice", code: mail.code, to: "Brand#New1")
            #expect(try await harness.storedCode(of: "alice", purpose: "password_reset") == nil)

            #expect(try await harness.login("alice", password: "Brand#New1").username == "alice")
            await expectError(.invalidCredentials) { try await harness.login("alice") }
            // The code is consumed.
            await expectError(.passwordResetTokenInvalid) {
                try await reset(harness, "alice", code: mail.code, to: "Other#New2")
            }
        }
    }

    @Test("works for a non-activated account, whose activation is untouched")
    func nonActivatedAccount() async throws {
        try await UserServiceHarness.run { harness in
            try await harness.register("alice", email: "alexander@x.de")
            let response = try await harness.accounts.requestPasswordReset(.with { $0.username = "alice" })
            #expect(response.maskedEmail == "ale****er@x.de")
            let code = try await harness.latestMail(to: "alice", kind: "password_reset_code").code
            try await reset(harness, "alice", code: code, to: "Brand#New1")
            await expectError(.userNotActivated) { try await harness.login("alice", password: "Brand#New1") }
        }
    }

    @Test("an expired code, a code of the wrong purpose or no code at all answers ERR-025")
    func invalidCodes() async throws {
        try await UserServiceHarness.run { harness in
            try await harness.register("alice")
            let activationCode = try await harness.latestMail(to: "alice", kind: "activation_code").code
            await expectError(.passwordResetTokenInvalid) {
                try await reset(harness, "alice", code: activationCode, to: "Brand#New1")
            }
            _ = try await harness.accounts.requestPasswordReset(.with { $0.username = "alice" })
            let code = try await harness.latestMail(to: "alice", kind: "password_reset_code").code
            harness.clock.advance(by: 24 * 3600 + 1)
            await expectError(.passwordResetTokenInvalid) {
                try await reset(harness, "alice", code: code, to: "Brand#New1")
            }
        }
    }

    @Test("after 5 wrong codes the reset code is invalidated; a new request replaces it")
    func attemptLimit() async throws {
        try await UserServiceHarness.run { harness in
            try await harness.registerActivated("alice")
            _ = try await harness.accounts.requestPasswordReset(.with { $0.username = "alice" })
            let code = try await harness.latestMail(to: "alice", kind: "password_reset_code").code
            for _ in 1...5 {
                await expectError(.passwordResetTokenInvalid) {
                    try await reset(harness, "alice", code: wrongCode(for: code), to: "Brand#New1")
                }
            }
            await expectError(.passwordResetTokenInvalid) {
                try await reset(harness, "alice", code: code, to: "Brand#New1")
            }
            #expect(try await harness.login("alice").username == "alice")

            _ = try await harness.accounts.requestPasswordReset(.with { $0.username = "alice" })
            let fresh = try await harness.latestMail(to: "alice", kind: "password_reset_code").code
            #expect(try await harness.mails(to: "alice").filter { $0.kind == "password_reset_code" }.count == 2)
            try await reset(harness, "alice", code: fresh, to: "Brand#New1")
            #expect(try await harness.login("alice", password: "Brand#New1").username == "alice")
        }
    }

    @Test("a successful reset also lifts the login throttle")
    func resetLiftsThrottle() async throws {
        try await UserServiceHarness.run { harness in
            try await harness.registerActivated("alice")
            for _ in 1...5 {
                await expectError(.invalidCredentials) { try await harness.login("alice", password: "Wrong#1234") }
            }
            await expectError(.tooManyRequests) { try await harness.login("alice") }
            _ = try await harness.accounts.requestPasswordReset(.with { $0.username = "alice" })
            let code = try await harness.latestMail(to: "alice", kind: "password_reset_code").code
            try await reset(harness, "alice", code: code, to: "Brand#New1")
            #expect(try await harness.login("alice", password: "Brand#New1").username == "alice")
        }
    }

    @Test("unknown user ERR-004; malformed code or weak new password ERR-001")
    func inputErrors() async throws {
        try await UserServiceHarness.run { harness in
            await expectError(.userNotFound) {
                try await harness.accounts.requestPasswordReset(.with { $0.username = "nobody" })
            }
            await expectError(.userNotFound) { try await reset(harness, "nobody", code: "123456", to: "Brand#New1") }
            try await harness.register("alice")
            await expectError(.badRequest) { try await reset(harness, "alice", code: "12345", to: "Brand#New1") }
            await expectError(.badRequest) { try await reset(harness, "alice", code: "123456", to: "weakpass") }
        }
    }
}
