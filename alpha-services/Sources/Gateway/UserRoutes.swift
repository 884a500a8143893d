import AlphaContracts
import AlphaDomain
import Hummingbird

/// E09–E12: search, profile edits, password change, profile (Bearer token required).
struct UserRoutes {
    let dependencies: GatewayDependencies

    private var users: Alpha_User_V1_Users.Client<Upstreams.Transport> { dependencies.upstreams.users }
    private var limit: Int { dependencies.configuration.maxBodyBytes }

    /// Registers the routes on the signed-in `/api/users` group.
    func register(on group: RouterGroup<GatewayRequestContext>) {
        group.get(use: search)
        group.put(use: updateProfile)
        group.patch(use: changePassword)
        group.get(":username", use: profile)
    }

    /// E09 `GET /api/users?username=&offset=&limit=`.
    func search(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let caller = try context.requireIdentity()
        let query = request.uri.queryParameters
        let page = request.offsetPage
        let text = query["username"].map(String.init) ?? ""
        let result = try await upstream(token: caller.token, logger: context.logger) {
            try await users.searchUsers(
                .with {
                    $0.query = text
                    $0.ask(for: page)
                })
        }
        return try jsonResponse(PageBody(records: result.users.map(UserBody.init), page: page, total: result.total))
    }

    struct UpdateBody: Decodable {
        var nickname: String?
        var status: String?
        var picture: Presence<String>
    }

    /// E10 `PUT /api/users`: both text fields are replaced (absent = ""); `picture` absent/`null` keeps the
    /// picture, "" resets it to the default avatar, base64 uploads a new one (``PictureUploads``).
    func updateProfile(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let caller = try context.requireIdentity()
        let body = try await request.decodeJSON(UpdateBody.self, limit: limit)
        // Checked here in their normalised form; sent as typed: the user service normalises them itself (D34).
        let nickname = body.nickname ?? ""
        let status = body.status ?? ""
        try require(ValidationRules.isValidNickname(InputNormalizer.escapedFreeText(nickname)))
        try require(ValidationRules.isValidStatus(InputNormalizer.escapedFreeText(status)))
        let update = { (picture: Alpha_User_V1_Picture?, uploadID: String, resetPicture: Bool) in
            try await upstream(token: caller.token, logger: context.logger) {
                try await users.updateProfile(
                    .with {
                        $0.nickname = nickname
                        $0.status = status
                        $0.resetPicture = resetPicture
                        if let picture { $0.picture = picture }
                        $0.pictureUploadID = uploadID
                    })
            }
        }
        let pictures = dependencies.pictures(logger: context.logger)
        let updated: Alpha_User_V1_UpdateProfileResponse
        switch body.picture {
        case .absent, .null:
            updated = try await update(nil, "", false)
        case .value(""):
            // Back to the default avatar; the uploaded picture is deleted through the user service's outbox
            // (D44), and at once here.
            updated = try await update(nil, "", true)
            await pictures.deleteNow(owner: caller.username, version: updated.pictureVersion, token: caller.token)
        case .value(let base64):
            // §1.3: `picture` is not trimmed. D24: a bad picture is 400 ERR-001 (the original answered 500).
            let data = try InlineImage.decode(base64)
            updated = try await pictures.store(data, owner: caller.username, token: caller.token) {
                let updated = try await update($0, $1, false)
                return .init(result: updated, pictureVersion: updated.pictureVersion)
            }
        }
        return try jsonResponse(["nickname": updated.nickname, "status": updated.status])
    }

    struct ChangePasswordBody: Decodable {
        var oldPassword: String
        var newPassword: String
    }

    /// E11 `PATCH /api/users`: wrong old password → 403 ERR-008.
    func changePassword(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let caller = try context.requireIdentity()
        let body = try await request.decodeJSON(ChangePasswordBody.self, limit: limit)
        try require(ValidationRules.isValidPassword(body.oldPassword))
        try require(ValidationRules.isValidPassword(body.newPassword))
        _ = try await upstream(token: caller.token, statusOverrides: [.invalidCredentials: 403], logger: context.logger)
        {
            try await users.changePassword(
                .with {
                    $0.oldPassword = body.oldPassword
                    $0.newPassword = body.newPassword
                })
        }
        return Response(status: .noContent)
    }

    /// E12 `GET /api/users/{username}`: the profile with live counts (posts from the post service).
    func profile(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let caller = try context.requireIdentity()
        let username = try context.parameters.username()
        // The two services are asked at the same time; the profile's answer (404 for an unknown user) wins.
        let logger = context.logger
        async let postCount = upstream(token: caller.token, logger: logger) {
            try await dependencies.upstreams.posts.countPosts(.with { $0.username = username })
        }
        let profile: Alpha_User_V1_Profile
        do {
            profile = try await upstream(token: caller.token, logger: logger) {
                try await users.getProfile(.with { $0.username = username })
            }
        } catch {
            // Let the count finish instead of cancelling it: a cancelled call would log as an upstream failure.
            _ = try? await postCount
            throw error
        }
        let posts = try await postCount
        return try jsonResponse(
            ProfileBody(
                username: profile.username,
                nickname: profile.nickname,
                status: profile.status,
                picture: PictureBody(profile.picture),
                follower: Int(profile.followerCount),
                following: Int(profile.followingCount),
                posts: Int(posts.count),
                subscriptionId: profile.subscriptionID.isEmpty ? nil : profile.subscriptionID
            )
        )
    }
}
