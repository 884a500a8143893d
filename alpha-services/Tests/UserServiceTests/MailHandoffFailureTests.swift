import AlphaContracts
import AlphaGRPC
import AlphaTesting
import GRPCCore
import Testing
import UserService

@Suite("The mail hand-off and the database write succeed or fail together")
struct MailHandoffFailureTests {
    @Test("registration fails (internal) and stores nothing when the notification service refuses the mail")
    func registrationRollsBack() async throws {
        try await UserServiceHarness.run { harness in
            harness.mailOutage.set(true)
            await expectStatus(.internalError) { try await harness.register("alice") }
            #expect(try await harness.storedRows(of: "alice") == UserServiceHarness.StoredRows(users: 0, codes: 0))
            #expect(try await harness.mails(to: "alice").isEmpty)

            harness.mailOutage.set(false)
            try await harness.register("alice")
            #expect(try await harness.storedRows(of: "alice") == UserServiceHarness.StoredRows(users: 1, codes: 1))
        }
    }

    @Test("activation fails and the account stays inactive when the welcome mail cannot be handed off")
    func activationRollsBack() async throws {
        try await UserServiceHarness.run { harness in
            try await harness.register("alice")
            let code = try await harness.latestMail(to: "alice", kind: "activation_code").code
            harness.mailOutage.set(true)
            await expectStatus(.internalError) { try await harness.activate("alice", code: code) }
            #expect(try await harness.accounts.checkUser(.with { $0.username = "alice" }).activated == false)

            // Resend and reset fail too, and the old code is kept.
            await expectStatus(.internalError) {
                try await harness.accounts.resendActivation(.with { $0.username = "alice" })
            }
            await expectStatus(.internalError) {
                try await harness.accounts.requestPasswordReset(.with { $0.username = "alice" })
            }
            #expect(try await harness.storedCode(of: "alice", purpose: "password_reset") == nil)
            #expect(try await harness.storedCode(of: "alice", purpose: "activation")?.code == code)

            harness.mailOutage.set(false)
            #expect(try await harness.activate("alice", code: code).username == "alice")
        }
    }

    @Test("a notification service that is not running fails the registration within the deadline, storing nothing")
    func unreachableNotificationService() async throws {
        try await UserServiceHarness.run { harness in
            // The production client (HTTP/2, credential, deadline) pointed at a port nobody listens on.
            let notification = try GRPCClientService(
                host: "127.0.0.1",
                port: 1,
                credential: harness.identity.credential,
                timeout: .seconds(2)
            )
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await notification.client.runConnections() }
                defer { notification.client.beginGracefulShutdown() }
                let accounts = AccountsHandler(
                    repository: PostgresUserRepository(client: harness.userDatabase, logger: harness.logger),
                    mail: GRPCMailHandoff(client: notification.client),
                    clock: harness.clock
                )
                try await withInProcessServer(services: [accounts], identity: harness.identity, logger: harness.logger)
                {
                    userClient in
                    let direct = Alpha_User_V1_Accounts.Client(wrapping: userClient)
                    await expectStatus(.internalError) {
                        try await direct.registerUser(
                            .with {
                                $0.username = "alice"
                                $0.email = "alice@example.org"
                                $0.password = UserServiceHarness.password
                            }
                        )
                    }
                }
            }
            #expect(try await harness.storedRows(of: "alice") == UserServiceHarness.StoredRows(users: 0, codes: 0))
        }
    }
}
