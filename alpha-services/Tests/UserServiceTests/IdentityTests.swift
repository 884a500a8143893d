import AlphaContracts
import GRPCCore
import Testing

@Suite("Who may call what")
struct IdentityTests {
    @Test("Accounts RPCs refuse a user token without the service credential (permissionDenied)")
    func accountsNeedService() async throws {
        try await UserServiceHarness.run(sendCredential: false) { harness in
            let userOnly: Metadata = ["authorization": "Bearer \(await harness.identity.accessToken(for: "alice"))"]
            await expectStatus(.permissionDenied) {
                try await harness.accounts.registerUser(
                    .with {
                        $0.username = "alice"
                        $0.email = "alice@example.org"
                        $0.password = UserServiceHarness.password
                    },
                    metadata: userOnly
                )
            }
            await expectStatus(.permissionDenied) {
                try await harness.accounts.checkCredentials(
                    .with {
                        $0.username = "alice"
                        $0.password = UserServiceHarness.password
                    },
                    metadata: userOnly
                )
            }
            await expectStatus(.permissionDenied) {
                try await harness.accounts.requestPasswordReset(.with { $0.username = "alice" }, metadata: userOnly)
            }
            await expectStatus(.permissionDenied) {
                try await harness.accounts.checkUser(.with { $0.username = "alice" }, metadata: userOnly)
            }
            #expect(try await harness.storedRows(of: "alice") == UserServiceHarness.StoredRows(users: 0, codes: 0))
            // A user may call the Users service without the credential.
            let listed = try await harness.users.listUsers(.with { $0.usernames = ["alice"] }, metadata: userOnly)
            #expect(listed.users.isEmpty)
        }
    }

    @Test("Users and Subscriptions RPCs refuse the service credential without a user token (unauthenticated)")
    func usersNeedUser() async throws {
        try await UserServiceHarness.run { harness in
            try await harness.register("alice")
            await expectStatus(.unauthenticated) {
                try await harness.users.getProfile(.with { $0.username = "alice" })
            }
            await expectStatus(.unauthenticated) {
                try await harness.users.updateProfile(.with { $0.nickname = "x" })
            }
            await expectStatus(.unauthenticated) {
                try await harness.users.changePassword(
                    .with {
                        $0.oldPassword = UserServiceHarness.password
                        $0.newPassword = UserServiceHarness.password
                    }
                )
            }
            await expectStatus(.unauthenticated) { try await harness.users.searchUsers(.with { $0.query = "alice" }) }
            await expectStatus(.unauthenticated) {
                try await harness.subscriptions.createSubscription(.with { $0.following = "alice" })
            }
            await expectStatus(.unauthenticated) {
                try await harness.subscriptions.listSubscriptions(.with { $0.username = "alice" })
            }
            await expectStatus(.unauthenticated) {
                try await harness.subscriptions.deleteSubscription(.with { $0.subscriptionID = "x" })
            }
        }
    }

    @Test("a call with neither credential nor token, or with a forged token, is refused before any handler runs")
    func nothingProven() async throws {
        try await UserServiceHarness.run(sendCredential: false) { harness in
            await expectStatus(.unauthenticated) {
                try await harness.accounts.checkUser(.with { $0.username = "alice" })
            }
            await expectStatus(.unauthenticated) {
                try await harness.users.getProfile(
                    .with { $0.username = "alice" },
                    metadata: ["authorization": "Bearer not.a.token"]
                )
            }
            await expectStatus(.unauthenticated) {
                try await harness.accounts.checkUser(
                    .with { $0.username = "alice" },
                    metadata: ["x-alpha-service-credential": "wrong-credential-0123456789"]
                )
            }
        }
    }
}
