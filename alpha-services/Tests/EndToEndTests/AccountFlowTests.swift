import AlphaAuth
import AlphaServicesTesting
import AlphaTesting
import Foundation
import NIOHTTP1
import Testing

/// E02–E15 over the real path: HTTP → gateway → gRPC → user service → PostgreSQL, and mail through the
/// notification service's outbox to a local Mailgun.
@Suite("Accounts over the real executables", .serialized)
struct AccountFlowTests {
    /// Runs `body` against a fresh system whose notification service delivers to a fake Mailgun.
    /// `environment` adds settings per process.
    func withSystem(
        environment: [String: [String: String]] = [:],
        _ body: @Sendable (AccountClient, RunningSystem) async throws -> Void
    ) async throws {
        try await withMailingSystem(extraEnvironment: environment, body)
    }

    @Test("register → the mail carries the code → activate → login → follow → profile shows it → unfollow")
    func happyPath() async throws {
        try await withSystem { client, system in
            let registered = try await client.call(
                .POST, "/api/users",
                #"{"username":"alice","password":"Passw0rd!","email":"alice@example.org","nickname":"Alice's"}"#
            )
            #expect(registered.status == 201)
            #expect(Set(registered.json.keys) == ["username", "nickname", "email", "picture"])
            #expect(registered.json["nickname"] as? String == "Alice&#39;s")
            let picture = try #require(registered.json["picture"] as? [String: Any])
            #expect(Set(picture.keys) == ["url", "width", "height"])
            #expect(picture["width"] as? Int == 512)

            let code = try await client.code(mailedTo: "alice@example.org")
            let mail = try #require(await client.mailgun.acceptedRequests().first)
            #expect(mail.path == "/v3/mail.test.example/messages")
            #expect(mail.form?.html?.contains(code) == true)

            let loginBefore = try await client.call(
                .POST, "/api/users/login", #"{"username":"alice","password":"Passw0rd!"}"#)
            #expect(loginBefore.status == 403 && loginBefore.errorCode == "ERR-005")

            let activated = try await client.call(.POST, "/api/users/alice/activate", #"{"token":"\#(code)"}"#)
            #expect(activated.status == 200)
            #expect(Set(activated.json.keys) == ["token", "refreshToken"])

            let login = try await client.call(
                .POST, "/api/users/login", #"{"username":"alice","password":"Passw0rd!"}"#)
            #expect(login.status == 200)
            let alice = try #require(login.json["token"] as? String)
            // Signed under the deployment's token settings (TOKEN_*, ACCESS_TOKEN_TTL_SECONDS): the contract's claims.
            let claims = try await system.identity.verifier.verify(alice, kind: .access)
            #expect(claims.iss == "alpha-api-gateway" && claims.aud == ["server-alpha"])
            #expect(claims.exp - claims.iat == 24 * 3600)

            let bob = try await client.activatedUser("bob")
            let follow = try await client.call(.POST, "/api/subscriptions", #"{"following":"bob"}"#, token: alice)
            #expect(follow.status == 201)
            #expect(Set(follow.json.keys) == ["subscriptionId", "subscriptionDate", "follower", "following"])
            #expect(follow.json["follower"] as? String == "alice" && follow.json["following"] as? String == "bob")
            let subscriptionId = try #require(follow.json["subscriptionId"] as? String)
            #expect(subscriptionId == subscriptionId.lowercased() && UUID(uuidString: subscriptionId) != nil)
            let date = try #require(follow.json["subscriptionDate"] as? String)
            #expect(date.range(of: #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$"#, options: .regularExpression) != nil)

            let profile = try await client.call(.GET, "/api/users/bob", token: alice)
            #expect(profile.status == 200)
            #expect(
                Set(profile.json.keys)
                    == [
                        "username", "nickname", "status", "picture", "follower", "following", "posts", "subscriptionId",
                    ]
            )
            #expect(profile.json["follower"] as? Int == 1 && profile.json["following"] as? Int == 0)
            #expect(profile.json["subscriptionId"] as? String == subscriptionId)
            let bobsView = try await client.call(.GET, "/api/users/alice", token: bob)
            #expect(bobsView.json["following"] as? Int == 1)
            #expect(bobsView.json["subscriptionId"] is NSNull)

            let unfollow = try await client.call(.DELETE, "/api/subscriptions/\(subscriptionId)", token: alice)
            #expect(unfollow.status == 204 && unfollow.raw.isEmpty)
            let after = try await client.call(.GET, "/api/users/bob", token: alice)
            #expect(after.json["follower"] as? Int == 0)
            #expect(after.json["subscriptionId"] is NSNull)
        }
    }

    @Test("registration, activation and login error rows answer the contract's status and code")
    func accountErrors() async throws {
        try await withSystem { client, _ in
            let alice = try await client.activatedUser("alice")
            _ = alice
            let taken = try await client.call(
                .POST, "/api/users", #"{"username":"alice","password":"Passw0rd!","email":"x@example.org"}"#)
            #expect(taken.status == 409 && taken.errorCode == "ERR-002")
            let emailTaken = try await client.call(
                .POST, "/api/users", #"{"username":"alice2","password":"Passw0rd!","email":"alice@example.org"}"#)
            #expect(emailTaken.status == 409 && emailTaken.errorCode == "ERR-003")

            let unknown = try await client.call(.POST, "/api/users/nobody/activate", #"{"token":"123456"}"#)
            #expect(unknown.status == 404 && unknown.errorCode == "ERR-004")
            let already = try await client.call(.POST, "/api/users/alice/activate", #"{"token":"123456"}"#)
            #expect(already.status == 208 && already.errorCode == "ERR-013" && already.errorStatus == 208)
            let resendActivated = try await client.call(.DELETE, "/api/users/alice/activate")
            #expect(resendActivated.status == 208 && resendActivated.errorCode == "ERR-013")
            let resendUnknown = try await client.call(.DELETE, "/api/users/nobody/activate")
            #expect(resendUnknown.status == 404 && resendUnknown.errorCode == "ERR-004")

            _ = try await client.call(
                .POST, "/api/users", #"{"username":"carol","password":"Passw0rd!","email":"carol@example.org"}"#)
            let first = try await client.code(mailedTo: "carol@example.org")
            let wrong = first == "999999" ? "999998" : "999999"
            let mismatch = try await client.call(.POST, "/api/users/carol/activate", #"{"token":"\#(wrong)"}"#)
            #expect(mismatch.status == 401 && mismatch.errorCode == "ERR-007")
            let resend = try await client.call(.DELETE, "/api/users/carol/activate")
            #expect(resend.status == 204)
            let second = try await client.code(mailedTo: "carol@example.org", after: 1)
            if second != first {
                let old = try await client.call(.POST, "/api/users/carol/activate", #"{"token":"\#(first)"}"#)
                #expect(old.status == 401 && old.errorCode == "ERR-007", "the replaced code no longer works")
            }

            let unknownLogin = try await client.call(
                .POST, "/api/users/login", #"{"username":"nobody","password":"Passw0rd!"}"#)
            #expect(unknownLogin.status == 404 && unknownLogin.errorCode == "ERR-004")
            let wrongPassword = try await client.call(
                .POST, "/api/users/login", #"{"username":"alice","password":"Wr0ngpass!"}"#)
            #expect(
                wrongPassword.status == 401 && wrongPassword.errorCode == "ERR-008" && wrongPassword.errorStatus == 401)
            // D53: after five failures in the window, even the right password is refused for a while.
            for _ in 0..<4 {
                _ = try await client.call(.POST, "/api/users/login", #"{"username":"alice","password":"Wr0ngpass!"}"#)
            }
            let throttled = try await client.call(
                .POST, "/api/users/login", #"{"username":"alice","password":"Passw0rd!"}"#)
            #expect(throttled.status == 429 && throttled.errorCode == "ERR-029" && throttled.errorStatus == 429)
        }
    }

    @Test("password reset and change: masked e-mail, wrong code 403 ERR-025, wrong old password 403 ERR-008")
    func passwords() async throws {
        try await withSystem { client, _ in
            let token = try await client.activatedUser("alexander")
            let reset = try await client.call(.POST, "/api/users/alexander/reset-password")
            #expect(reset.status == 200)
            #expect(reset.json["email"] as? String == "ale****er@example.org")
            let unknown = try await client.call(.POST, "/api/users/nobody/reset-password")
            #expect(unknown.status == 404 && unknown.errorCode == "ERR-004")

            let unknownReset = try await client.call(
                .PATCH, "/api/users/nobody/reset-password", #"{"newPassword":"N3wPassword!","token":"123456"}"#)
            #expect(unknownReset.status == 404 && unknownReset.errorCode == "ERR-004")

            let code = try await client.code(mailedTo: "alexander@example.org", after: 1)
            let wrong = code == "999999" ? "999998" : "999999"
            let bad = try await client.call(
                .PATCH, "/api/users/alexander/reset-password", #"{"newPassword":"N3wPassword!","token":"\#(wrong)"}"#)
            #expect(bad.status == 403 && bad.errorCode == "ERR-025")
            let good = try await client.call(
                .PATCH, "/api/users/alexander/reset-password", #"{"newPassword":"N3wPassword!","token":"\#(code)"}"#)
            #expect(good.status == 204)
            let login = try await client.call(
                .POST, "/api/users/login", #"{"username":"alexander","password":"N3wPassword!"}"#)
            #expect(login.status == 200)

            let wrongOld = try await client.call(
                .PATCH, "/api/users", #"{"oldPassword":"Passw0rd!","newPassword":"Other0ne!"}"#, token: token)
            #expect(wrongOld.status == 403 && wrongOld.errorCode == "ERR-008" && wrongOld.errorStatus == 403)
            let changed = try await client.call(
                .PATCH, "/api/users", #"{"oldPassword":"N3wPassword!","newPassword":"Other0ne!"}"#, token: token)
            #expect(changed.status == 204)
            let relogin = try await client.call(
                .POST, "/api/users/login", #"{"username":"alexander","password":"Other0ne!"}"#)
            #expect(relogin.status == 200)
        }
    }

    @Test("profiles, search and follow lists: shapes, ordering, pagination and ownership rules")
    func usersAndSubscriptions() async throws {
        try await withSystem { client, _ in
            let anna = try await client.activatedUser("anna")
            let anne = try await client.activatedUser("anne")
            _ = try await client.activatedUser("zoe")

            let update = try await client.call(
                .PUT, "/api/users", #"{"nickname":"  <b>Anna</b> ","status":"hi & bye"}"#, token: anna)
            #expect(update.status == 200)
            #expect(Set(update.json.keys) == ["nickname", "status"])
            #expect(update.json["nickname"] as? String == "&lt;b&gt;Anna&lt;/b&gt;")
            #expect(update.json["status"] as? String == "hi &amp; bye")
            let cleared = try await client.call(.PUT, "/api/users", "{}", token: anna)
            #expect(cleared.json["nickname"] as? String == "" && cleared.json["status"] as? String == "")

            let search = try await client.call(.GET, "/api/users?username=anna&limit=2", token: anne)
            #expect(search.status == 200)
            let records = try #require(search.json["records"] as? [[String: Any]])
            #expect(records.map { $0["username"] as? String } == ["anna", "anne"])
            #expect(records.allSatisfy { Set($0.keys) == ["username", "nickname", "picture"] })
            let pagination = try #require(search.json["pagination"] as? [String: Int])
            #expect(pagination == ["offset": 0, "limit": 2, "records": 3])

            let nul = try await client.call(.GET, "/api/users?username=an%00a", token: anne)
            #expect(nul.status == 200, "a NUL in the search text is a character no username has, not a 500")
            let missing = try await client.call(.GET, "/api/users/nobody", token: anna)
            #expect(missing.status == 404 && missing.errorCode == "ERR-004")

            let selfFollow = try await client.call(.POST, "/api/subscriptions", #"{"following":"anna"}"#, token: anna)
            #expect(selfFollow.status == 406 && selfFollow.errorCode == "ERR-017")
            let unknownFollow = try await client.call(
                .POST, "/api/subscriptions", #"{"following":"nobody"}"#, token: anna)
            #expect(unknownFollow.status == 404 && unknownFollow.errorCode == "ERR-004")
            let follow = try await client.call(.POST, "/api/subscriptions", #"{"following":"zoe"}"#, token: anna)
            let again = try await client.call(.POST, "/api/subscriptions", #"{"following":"zoe"}"#, token: anna)
            #expect(again.status == 409 && again.errorCode == "ERR-016")
            let annesFollow = try await client.call(.POST, "/api/subscriptions", #"{"following":"zoe"}"#, token: anne)
            let zoeFollowsAnna = try await client.activatedUser("zoey")
            _ = try await client.call(.POST, "/api/subscriptions", #"{"following":"anna"}"#, token: zoeFollowsAnna)
            let annaFollowsZoey = try await client.call(
                .POST, "/api/subscriptions", #"{"following":"zoey"}"#, token: anna)

            let subscriptionId = try #require(follow.json["subscriptionId"] as? String)
            let notMine = try await client.call(.DELETE, "/api/subscriptions/\(subscriptionId)", token: anne)
            #expect(notMine.status == 403 && notMine.errorCode == "ERR-018")
            let unknownSubscription = try await client.call(
                .DELETE, "/api/subscriptions/\(UUID().uuidString.lowercased())", token: anna)
            #expect(unknownSubscription.status == 404 && unknownSubscription.errorCode == "ERR-015")

            let followers = try await client.call(.GET, "/api/subscriptions/zoe", token: anna)
            #expect(followers.status == 200)
            let list = try #require(followers.json["records"] as? [[String: Any]])
            #expect(list.map { $0["username"] as? String } == ["anne", "anna"], "newest first")
            #expect(
                list.allSatisfy { Set($0.keys) == ["followerId", "followingId", "username", "nickname", "picture"] })
            // Ids are relative to the caller (anna): she neither follows nor is followed by anne or herself.
            #expect(list.allSatisfy { $0["followingId"] is NSNull && $0["followerId"] is NSNull })
            #expect((followers.json["pagination"] as? [String: Int])?["records"] == 2)

            let annasFollowing = try await client.call(.GET, "/api/subscriptions/anna?type=following", token: anna)
            let following = try #require(annasFollowing.json["records"] as? [[String: Any]])
            #expect(following.map { $0["username"] as? String } == ["zoey", "zoe"])
            #expect(following[0]["followingId"] as? String == annaFollowsZoey.json["subscriptionId"] as? String)
            #expect(following[0]["followerId"] is String, "zoey follows the caller back")
            #expect(following[1]["followingId"] as? String == subscriptionId)
            #expect(following[1]["followerId"] is NSNull)
            #expect(annesFollow.status == 201)

            let unknownList = try await client.call(.GET, "/api/subscriptions/nobody", token: anna)
            #expect(unknownList.status == 404 && unknownList.errorCode == "ERR-004")
        }
    }

    @Test("an upstream that is down answers 500 ERR-009 within the deadline, not a hang (D42)")
    func upstreamDown() async throws {
        try await withSystem { client, system in
            await system.stop("user-service")
            let started = ContinuousClock.now
            let login = try await client.call(
                .POST, "/api/users/login", #"{"username":"alice","password":"Passw0rd!"}"#)
            #expect(
                login.errorCode == "ERR-009" && [500, 503].contains(login.status) && login.errorStatus == login.status)
            #expect(ContinuousClock.now - started < .seconds(10), "bounded by RPC_TIMEOUT_SECONDS (6 s in these tests)")
        }
    }

    @Test("with the notification service down, registration answers 201 and its mail arrives once the service is back")
    func registrationWhileNotificationServiceIsDown() async throws {
        // Mail waiting in the user service's outbox for the notification service is retried every second.
        try await withMailingSystem(extraEnvironment: ["user-service": ["OUTBOX_BACKOFF_MAX_SECONDS": "1"]]) {
            client, system in
            await system.stop("notification-service")
            let body = #"{"username":"olga","password":"Passw0rd!","email":"olga@example.org"}"#
            let registered = try await client.call(.POST, "/api/users", body)
            #expect(registered.status == 201, "\(registered.json)")
            // The registration went through, so a repeat is a conflict — not a second account or mail.
            let again = try await client.call(.POST, "/api/users", body)
            #expect(again.status == 409 && again.errorCode == "ERR-002")
            try await Task.sleep(for: .seconds(1))
            #expect(await client.mailgun.requests().isEmpty)

            try await system.restart("notification-service")
            let code = try await client.code(mailedTo: "olga@example.org")
            let activated = try await client.call(.POST, "/api/users/olga/activate", #"{"token":"\#(code)"}"#)
            #expect(activated.status == 200, "\(activated.json)")
            // The welcome mail follows; each mail arrives once.
            try await eventually("the welcome mail arrives") {
                await client.mailgun.acceptedRequests().filter { $0.form?.to?.contains("olga@") == true }.count >= 2
            }
            try await Task.sleep(for: .seconds(1))
            #expect(
                await client.mailgun.acceptedRequests().filter { $0.form?.to?.contains("olga@") == true }.count == 2)
        }
    }
}
