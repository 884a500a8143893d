import AlphaContracts
import AlphaDomain
import Foundation
import GRPCCore
import PostgresNIO
import Testing
import UserService

@Suite("RegisterUser (E02)")
struct RegistrationTests {
    @Test("registration stores an inactive account and puts the activation mail with its code in the outbox")
    func registersAndMailsCode() async throws {
        try await UserServiceHarness.run { harness in
            // The nickname as typed: the service trims and escapes it (D34).
            let response = try await harness.register("alice", email: "alice@example.org", nickname: " Al & Co ")
            #expect(response.username == "alice")
            #expect(response.nickname == "Al &amp; Co")
            #expect(response.email == "alice@example.org")
            #expect(response.picture.url == "https://getdrawings.com/free-icon/default-avatar-icon-62.png")
            #expect(response.picture.width == 512)
            #expect(response.picture.height == 512)

            let mails = try await harness.mails(to: "alice")
            #expect(mails.count == 1)
            let mail = try #require(mails.first)
            #expect(mail.kind == "activation_code")
            #expect(mail.toAddress == "alice@example.org")
            #expect(ValidationRules.isValidCode(mail.code))
            #expect(CodeGenerator.range.contains(Int(mail.code) ?? 0))

            // The mailed code is the stored one, valid for 24 hours.
            let stored = try #require(try await harness.storedCode(of: "alice", purpose: "activation"))
            #expect(stored.code == mail.code)
            #expect(stored.attempts == 0)
            #expect(abs(stored.expiresAt.timeIntervalSince(harness.clock.now()) - 24 * 3600) < 1)

            let checked = try await harness.accounts.checkUser(.with { $0.username = "alice" })
            #expect(checked.activated == false)

            // bcrypt cost 10 of the raw password; status empty; expiry 7 days after creation.
            let rows = try await harness.userDatabase.query(
                "SELECT password, status, expires_at - created_at = interval '7 days' FROM users WHERE username = 'alice'",
                logger: harness.logger
            )
            for try await (hash, status, sevenDays) in rows.decode((String, String, Bool).self) {
                #expect(hash.hasPrefix("$2b$10$"))
                #expect(hash.count == 60)
                #expect(status == "")
                #expect(sevenDays)
            }
        }
    }

    @Test("a taken username answers ERR-002, a taken e-mail ERR-003, and ERR-002 wins when both are taken")
    func conflicts() async throws {
        try await UserServiceHarness.run { harness in
            try await harness.register("alice", email: "alice@example.org")
            await expectError(.usernameTaken, status: .alreadyExists) {
                try await harness.register("alice", email: "other@example.org")
            }
            await expectError(.emailTaken, status: .alreadyExists) {
                try await harness.register("alice2", email: "alice@example.org")
            }
            try await harness.register("bob", email: "bob@example.org")
            // username of alice, e-mail of bob: the username wins.
            await expectError(.usernameTaken) {
                try await harness.register("alice", email: "bob@example.org")
            }
            // Uniqueness is case-sensitive (D52).
            try await harness.register("Alice", email: "Alice@example.org")
            #expect(try await harness.mails(to: "alice").count == 1)
        }
    }

    @Test("concurrent registrations of one username: exactly one succeeds, the others answer ERR-002")
    func usernameRace() async throws {
        try await UserServiceHarness.run { harness async throws in
            let outcomes = await concurrentOutcomes(4) { index in
                try await harness.register("racer", email: "racer\(index)@example.org")
            }
            #expect(outcomes.filter { $0 == "ok" }.count == 1)
            #expect(outcomes.filter { $0 == ErrorCode.usernameTaken.code }.count == 3)
            #expect(try await harness.storedRows(of: "racer") == UserServiceHarness.StoredRows(users: 1, codes: 1))
            #expect(try await harness.mails(to: "racer").count == 1)
        }
    }

    @Test("concurrent registrations with one e-mail: exactly one succeeds, the others answer ERR-003")
    func emailRace() async throws {
        try await UserServiceHarness.run { harness in
            let outcomes = await concurrentOutcomes(4) { index in
                try await harness.register("racer\(index)", email: "shared@example.org")
            }
            #expect(outcomes.filter { $0 == "ok" }.count == 1)
            #expect(outcomes.filter { $0 == ErrorCode.emailTaken.code }.count == 3)
        }
    }

    @Test("a unique violation from a registration that committed first maps to AccountConflict, not a database error")
    func uniqueViolationMapping() async throws {
        try await UserServiceHarness.run { harness in
            // Straight to the insert, past the pre-check, as the loser of a race gets there.
            let repository = PostgresUserRepository(client: harness.userDatabase, logger: harness.logger)
            func account(_ username: String, _ email: String) -> NewAccount {
                NewAccount(
                    username: username,
                    nickname: "",
                    email: email,
                    passwordHash: String(repeating: "x", count: 60),
                    picture: .defaultAvatar,
                    createdAt: Date(),
                    expiresAt: Date()
                )
            }
            try await repository.withAccountTransaction {
                try await $0.insertAccount(account("carol", "carol@example.org"))
            }
            await #expect(throws: AccountConflict.username) {
                try await repository.withAccountTransaction {
                    try await $0.insertAccount(account("carol", "new@example.org"))
                }
            }
            await #expect(throws: AccountConflict.email) {
                try await repository.withAccountTransaction {
                    try await $0.insertAccount(account("dave", "carol@example.org"))
                }
            }
        }
    }

    @Test("invalid username, password, e-mail or nickname answers ERR-001 and stores nothing")
    func invalidInput() async throws {
        let cases: [(username: String, password: String, email: String, nickname: String)] = [
            ("bad name", "Secret#123", "x@example.org", ""),
            (String(repeating: "a", count: 21), "Secret#123", "x@example.org", ""),
            ("valid", "secret123", "x@example.org", ""),  // no uppercase, no symbol
            ("valid", "Sécret#123", "x@example.org", ""),  // not ASCII
            ("valid", "Secret#1" + String(repeating: "x", count: 65), "x@example.org", ""),  // > 72 bytes (D09)
            ("valid", "Secret#123", "not-an-address", ""),
            ("valid", "Secret#123", "x@example.org", String(repeating: "n", count: 26)),  // D09: 25 max
            ("valid", "Secret#123", "x@example.org", "<<<<<<<"),  // escaped: 28 characters
            ("valid", "Secret#1\u{0}x", "x@example.org", ""),  // control character: bcrypt would cut at the NUL
            ("valid", "Secret#1\tx", "x@example.org", ""),
        ]
        try await UserServiceHarness.run { (harness: UserServiceHarness) async throws in
            for input in cases {
                await expectError(.badRequest, status: .invalidArgument) {
                    try await harness.register(
                        input.username,
                        email: input.email,
                        password: input.password,
                        nickname: input.nickname
                    )
                }
                #expect(
                    try await harness.storedRows(of: input.username)
                        == UserServiceHarness.StoredRows(users: 0, codes: 0))
            }
            #expect(try await harness.mails(to: "valid").isEmpty)
        }
    }
}
