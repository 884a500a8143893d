import AlphaContracts
import AlphaDomain
import Foundation
import Testing

@Suite("GetProfile, UpdateProfile, ChangePassword, ListUsers (E10–E12)")
struct ProfileTests {
    @Test("follow and unfollow show in the counts and in the caller's subscription id")
    func countsAndSubscriptionID() async throws {
        try await UserServiceHarness.run { harness in
            try await harness.register("alice")
            try await harness.register("bob", nickname: "Bob")
            try await harness.register("carol")

            let follow = try await harness.asUser("alice") {
                try await harness.subscriptions.createSubscription(.with { $0.following = "bob" })
            }
            try await harness.asUser("carol") {
                _ = try await harness.subscriptions.createSubscription(.with { $0.following = "bob" })
                _ = try await harness.subscriptions.createSubscription(.with { $0.following = "alice" })
            }

            let bobForAlice = try await harness.asUser("alice") {
                try await harness.users.getProfile(.with { $0.username = "bob" })
            }
            #expect(bobForAlice.username == "bob")
            #expect(bobForAlice.nickname == "Bob")
            #expect(bobForAlice.status == "")
            #expect(bobForAlice.picture.url == "https://getdrawings.com/free-icon/default-avatar-icon-62.png")
            #expect(bobForAlice.followerCount == 2)
            #expect(bobForAlice.followingCount == 0)
            #expect(bobForAlice.subscriptionID == follow.subscriptionID)

            let own = try await harness.asUser("alice") {
                try await harness.users.getProfile(.with { $0.username = "alice" })
            }
            #expect(own.followerCount == 1)
            #expect(own.followingCount == 1)
            #expect(own.subscriptionID == "")

            let bobForBob = try await harness.asUser("bob") {
                try await harness.users.getProfile(.with { $0.username = "bob" })
            }
            #expect(bobForBob.subscriptionID == "")

            try await harness.asUser("alice") {
                _ = try await harness.subscriptions.deleteSubscription(
                    .with { $0.subscriptionID = follow.subscriptionID })
            }
            let after = try await harness.asUser("alice") {
                try await harness.users.getProfile(.with { $0.username = "bob" })
            }
            #expect(after.followerCount == 1)
            #expect(after.subscriptionID == "")
        }
    }

    @Test("unknown users answer ERR-004; the match is exact and case-sensitive")
    func unknownProfile() async throws {
        try await UserServiceHarness.run { harness in
            try await harness.register("alice")
            await harness.asUser("alice") {
                await expectError(.userNotFound) {
                    try await harness.users.getProfile(.with { $0.username = "nobody" })
                }
                await expectError(.userNotFound) { try await harness.users.getProfile(.with { $0.username = "Alice" }) }
            }
        }
    }

    @Test("UpdateProfile overwrites both text fields and resets the picture only when asked")
    func updateProfile() async throws {
        try await UserServiceHarness.run { harness in
            try await harness.register("alice", nickname: "Ali")
            _ = try await harness.userDatabase.query(
                """
                UPDATE users SET picture_url = 'http://localhost:8080/api/images?image=alice.png',
                                 picture_width = 100, picture_height = 80
                WHERE username = 'alice'
                """,
                logger: harness.logger
            )
            try await harness.asUser("alice") {
                let response = try await harness.users.updateProfile(
                    .with {
                        // As typed: the service trims and escapes it (D34), whoever calls.
                        $0.nickname = "  Al & Co "
                        $0.status = "I'm <b>here</b>"
                    }
                )
                #expect(response.nickname == "Al &amp; Co")
                #expect(response.status == "I&#39;m &lt;b&gt;here&lt;/b&gt;")
                var profile = try await harness.users.getProfile(.with { $0.username = "alice" })
                #expect(profile.nickname == "Al &amp; Co")
                #expect(profile.status == "I&#39;m &lt;b&gt;here&lt;/b&gt;")
                #expect(profile.picture.url == "http://localhost:8080/api/images?image=alice.png")
                #expect(profile.picture.width == 100)

                // An omitted field arrives as "" and is stored as "".
                _ = try await harness.users.updateProfile(.with { $0.nickname = "Ali" })
                profile = try await harness.users.getProfile(.with { $0.username = "alice" })
                #expect(profile.status == "")

                _ = try await harness.users.updateProfile(.with { $0.resetPicture = true })
                profile = try await harness.users.getProfile(.with { $0.username = "alice" })
                #expect(profile.nickname == "")
                #expect(profile.picture.url == "https://getdrawings.com/free-icon/default-avatar-icon-62.png")
                #expect(profile.picture.width == 512)
                #expect(profile.picture.height == 512)

                await expectError(.badRequest) {
                    try await harness.users.updateProfile(.with { $0.nickname = String(repeating: "n", count: 26) })
                }
                await expectError(.badRequest) {
                    try await harness.users.updateProfile(.with { $0.status = String(repeating: "s", count: 257) })
                }
                _ = try await harness.users.updateProfile(
                    .with {
                        $0.nickname = String(repeating: "n", count: 25)
                        $0.status = String(repeating: "s", count: 256)
                    }
                )
                // Limits apply to the escaped text: 5 apostrophes are 25 characters, 6 are too many.
                await expectError(.badRequest) {
                    try await harness.users.updateProfile(.with { $0.nickname = "''''''" })
                }
                let apostrophes = try await harness.users.updateProfile(.with { $0.nickname = "'''''" })
                #expect(apostrophes.nickname == String(repeating: "&#39;", count: 5))
            }
            await harness.asUser("ghost") {
                await expectError(.userNotFound) { try await harness.users.updateProfile(.with { $0.nickname = "x" }) }
            }
        }
    }

    @Test("ChangePassword: wrong old password ERR-008, weak input ERR-001, success switches the password")
    func changePassword() async throws {
        try await UserServiceHarness.run { harness in
            try await harness.registerActivated("alice")
            try await harness.asUser("alice") {
                await expectError(.invalidCredentials, status: .permissionDenied) {
                    try await harness.users.changePassword(
                        .with {
                            $0.oldPassword = "Wrong#1234"
                            $0.newPassword = "Brand#New1"
                        }
                    )
                }
                await expectError(.badRequest) {
                    try await harness.users.changePassword(.with { $0.newPassword = "Brand#New1" })
                }
                await expectError(.badRequest) {
                    try await harness.users.changePassword(
                        .with {
                            $0.oldPassword = UserServiceHarness.password
                            $0.newPassword = "weak"
                        }
                    )
                }
                _ = try await harness.users.changePassword(
                    .with {
                        $0.oldPassword = UserServiceHarness.password
                        $0.newPassword = "Brand#New1"
                    }
                )
            }
            #expect(try await harness.login("alice", password: "Brand#New1").username == "alice")
            await expectError(.invalidCredentials) { try await harness.login("alice") }
            await harness.asUser("ghost") {
                await expectError(.userNotFound) {
                    try await harness.users.changePassword(
                        .with {
                            $0.oldPassword = "Brand#New1"
                            $0.newPassword = "Brand#New1"
                        }
                    )
                }
            }
        }
    }

    @Test("ListUsers answers the known users in the order asked, once each, for services and users")
    func listUsers() async throws {
        try await UserServiceHarness.run { harness in
            try await harness.register("alice", nickname: "Ali")
            try await harness.register("bob")
            // The service credential alone (a feed being built by another service).
            let listed = try await harness.users.listUsers(.with { $0.usernames = ["bob", "ghost", "alice", "bob"] })
            #expect(listed.users.map(\.username) == ["bob", "alice"])
            #expect(listed.users.last?.nickname == "Ali")
            #expect(listed.users.last?.picture.width == 512)
            let empty = try await harness.users.listUsers(.with { $0.usernames = [] })
            #expect(empty.users.isEmpty)
            let asUser = try await harness.asUser("alice") {
                try await harness.users.listUsers(.with { $0.usernames = ["alice"] })
            }
            #expect(asUser.users.map(\.username) == ["alice"])
        }
    }
}
