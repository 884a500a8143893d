import AlphaContracts
import AlphaDomain
import Foundation
import GRPCCore
import Testing

/// Revocable sessions (DECISIONS, security round 2): refresh tokens rotate, a retired one has a 10 s
/// grace, and a password change or reset, or the user's disappearance, ends every session.
@Suite("Sessions: refresh-token rotation and revocation (E06, E08, E11)")
struct SessionTests {
    func start(_ harness: UserServiceHarness, _ username: String) async throws -> Alpha_User_V1_Session {
        try await harness.sessions.startSession(.with { $0.username = username })
    }

    func refresh(_ harness: UserServiceHarness, _ session: Alpha_User_V1_Session) async throws
        -> Alpha_User_V1_Session
    {
        try await harness.sessions.refreshSession(
            .with {
                $0.username = session.username
                $0.tokenID = session.tokenID
                $0.tokenVersion = session.tokenVersion
            })
    }

    @Test("a refresh answers a new id each time (also twice in one second) and retires the presented one after 10 s")
    func rotation() async throws {
        try await UserServiceHarness.run { harness in
            try await harness.registerActivated("alice")
            let first = try await start(harness, "alice")
            #expect(first.tokenVersion == 0 && UUID(uuidString: first.tokenID) != nil)

            let second = try await refresh(harness, first)
            // Within the grace the retired token still works (a client refreshing twice in parallel) …
            let parallel = try await refresh(harness, first)
            #expect(Set([first.tokenID, second.tokenID, parallel.tokenID]).count == 3)
            harness.clock.advance(by: 9)
            _ = try await refresh(harness, first)
            // … and after it, it answers ERR-007; the successors are alive.
            harness.clock.advance(by: 2)
            await expectError(.invalidToken, status: .unauthenticated) { try await refresh(harness, first) }
            let third = try await refresh(harness, second)
            _ = try await refresh(harness, third)
        }
    }

    @Test("an unknown id, a forged version, an unknown or non-activated user answer ERR-007")
    func refusals() async throws {
        try await UserServiceHarness.run { harness in
            try await harness.registerActivated("alice")
            try await harness.register("bob")
            let session = try await start(harness, "alice")
            var forged = session
            forged.tokenID = UUID().uuidString
            await expectError(.invalidToken) { try await refresh(harness, forged) }
            forged = session
            forged.tokenID = "not-a-uuid"
            await expectError(.invalidToken) { try await refresh(harness, forged) }
            forged = session
            forged.tokenVersion = 1
            await expectError(.invalidToken) { try await refresh(harness, forged) }
            forged = session
            forged.username = "bob"
            await expectError(.invalidToken) { try await refresh(harness, forged) }
            await expectError(.invalidToken) { try await start(harness, "bob") }
            await expectError(.invalidToken) { try await start(harness, "ghost") }
            // The genuine one still works.
            _ = try await refresh(harness, session)
        }
    }

    @Test("a password change (E11) ends every session of the user at once, not those of others")
    func passwordChangeRevokes() async throws {
        try await UserServiceHarness.run { harness in
            try await harness.registerActivated("alice")
            try await harness.registerActivated("bob")
            let phone = try await start(harness, "alice")
            let laptop = try await refresh(harness, try await start(harness, "alice"))
            let bobs = try await start(harness, "bob")
            try await harness.asUser("alice") {
                _ = try await harness.users.changePassword(
                    .with {
                        $0.oldPassword = UserServiceHarness.password
                        $0.newPassword = "Brand#New1"
                    })
            }
            await expectError(.invalidToken) { try await refresh(harness, phone) }
            await expectError(.invalidToken) { try await refresh(harness, laptop) }
            _ = try await refresh(harness, bobs)
            // A new login starts a session under the new version.
            let fresh = try await start(harness, "alice")
            #expect(fresh.tokenVersion == 1)
            _ = try await refresh(harness, fresh)
        }
    }

    @Test("a password reset (E08) ends every session of the user")
    func resetRevokes() async throws {
        try await UserServiceHarness.run { harness in
            try await harness.registerActivated("alice")
            let session = try await start(harness, "alice")
            _ = try await harness.accounts.requestPasswordReset(.with { $0.username = "alice" })
            let code = try await harness.latestMail(to: "alice", kind: "password_reset_code").code
            _ = try await harness.accounts.resetPassword(
                .with {
                    $0.username = "alice"
                    $0.code = code
                    $0.newPassword = "Brand#New1"
                })
            await expectError(.invalidToken) { try await refresh(harness, session) }
        }
    }

    @Test("a user who no longer exists cannot refresh")
    func deletedUser() async throws {
        try await UserServiceHarness.run { harness in
            try await harness.registerActivated("alice")
            let session = try await start(harness, "alice")
            _ = try await harness.userDatabase.query(
                "DELETE FROM users WHERE username = 'alice'", logger: harness.logger
            )
            .collect()
            await expectError(.invalidToken) { try await refresh(harness, session) }
        }
    }

    @Test("sessions need the service credential: a user token alone is refused (permissionDenied)")
    func serviceOnly() async throws {
        try await UserServiceHarness.run(sendCredential: false) { harness in
            let userOnly: Metadata = ["authorization": "Bearer \(await harness.identity.accessToken(for: "alice"))"]
            await expectStatus(.permissionDenied) {
                try await harness.sessions.startSession(.with { $0.username = "alice" }, metadata: userOnly)
            }
            await expectStatus(.permissionDenied) {
                try await harness.sessions.refreshSession(.with { $0.username = "alice" }, metadata: userOnly)
            }
        }
    }
}
