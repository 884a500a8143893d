import AlphaAuth
import AlphaContracts
import AlphaDomain
import Hummingbird

/// E02–E08: registration, activation, login, refresh and password reset (no token needed).
///
/// The flows that mail a code or check a password pass the client address (``ClientAddressResolver``) so
/// the user service can apply its abuse limits (429 ERR-029 with `Retry-After`). Tokens are issued only
/// for a session the user service has stored (``tokens(for:context:)``), and a refresh rotates it.
struct AccountRoutes {
    let dependencies: GatewayDependencies

    private var accounts: Alpha_User_V1_Accounts.Client<Upstreams.Transport> { dependencies.upstreams.accounts }
    private var limit: Int { dependencies.configuration.maxBodyBytes }

    /// Registers the routes on the public `/api/users` group.
    func register(on group: RouterGroup<GatewayRequestContext>) {
        group.post(use: registerUser)
        group.post("login", use: login)
        group.post("refresh", use: refresh)
        group.post(":username/activate", use: activate)
        group.delete(":username/activate", use: resendActivation)
        group.post(":username/reset-password", use: requestPasswordReset)
        group.patch(":username/reset-password", use: resetPassword)
    }

    struct RegisterBody: Decodable {
        var username: String
        var password: String
        var email: String
        var nickname: String?
        var profilePicture: String?
    }

    struct RegisteredBody: Encodable {
        var username: String
        var nickname: String
        var email: String
        var picture: PictureBody
    }

    /// E02 `POST /api/users`.
    func registerUser(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let body = try await request.decodeJSON(RegisterBody.self, limit: limit)
        let username = InputNormalizer.trimmed(body.username)
        let email = InputNormalizer.trimmed(body.email)
        // Checked here in its normalised form; sent as typed: the user service normalises it itself (D34).
        let nickname = body.nickname ?? ""
        try require(ValidationRules.isValidUsername(username))
        try require(ValidationRules.isValidPassword(body.password))
        try require(ValidationRules.isValidEmail(email))
        try require(ValidationRules.isValidNickname(InputNormalizer.escapedFreeText(nickname)))
        // §1.3: `profilePicture` is trimmed like every other field; "" or absent = the default avatar.
        let profilePicture = InputNormalizer.trimmed(body.profilePicture ?? "")
        let pictureData = profilePicture.isEmpty ? nil : try InlineImage.decode(profilePicture)
        let register = { (picture: Alpha_User_V1_Picture?, uploadID: String) in
            try await upstream(logger: context.logger) {
                try await accounts.registerUser(
                    .with {
                        $0.username = username
                        $0.password = body.password
                        $0.email = email
                        $0.nickname = nickname
                        $0.clientAddress = dependencies.clientAddresses.clientAddress(of: request)
                        if let picture { $0.picture = picture }
                        $0.pictureUploadID = uploadID
                    }
                )
            }
        }
        // No user token yet: the image service is called with the service credential only.
        let created =
            if let pictureData {
                try await dependencies.pictures(logger: context.logger).store(
                    pictureData, owner: username, token: nil
                ) {
                    let created = try await register($0, $1)
                    return .init(result: created, pictureVersion: created.pictureVersion)
                }
            } else {
                try await register(nil, "")
            }
        return try jsonResponse(
            RegisteredBody(
                username: created.username,
                nickname: created.nickname,
                email: created.email,
                picture: PictureBody(created.picture)
            ),
            status: .created
        )
    }

    struct ActivateBody: Decodable {
        var token: String
    }

    /// E03 `POST /api/users/{username}/activate`: activates and logs in.
    func activate(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let body = try await request.decodeJSON(ActivateBody.self, limit: limit)
        let code = InputNormalizer.trimmed(body.token)
        try require(ValidationRules.isValidCode(code))
        let username = try context.parameters.username()
        let activated = try await upstream(logger: context.logger) {
            try await accounts.activateUser(
                .with {
                    $0.username = username
                    $0.code = code
                })
        }
        return try await tokens(for: activated.username, context: context)
    }

    /// E04 `DELETE /api/users/{username}/activate`: mails a new activation code.
    func resendActivation(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let username = try context.parameters.username()
        _ = try await upstream(logger: context.logger) {
            try await accounts.resendActivation(
                .with {
                    $0.username = username
                    $0.clientAddress = dependencies.clientAddresses.clientAddress(of: request)
                })
        }
        return Response(status: .noContent)
    }

    struct LoginBody: Decodable {
        var username: String
        var password: String
    }

    /// E05 `POST /api/users/login`.
    func login(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let body = try await request.decodeJSON(LoginBody.self, limit: limit)
        let username = InputNormalizer.trimmed(body.username)
        try require(ValidationRules.isValidUsername(username))
        try require(ValidationRules.isValidPassword(body.password))
        let checked = try await upstream(statusOverrides: [.invalidCredentials: 401], logger: context.logger) {
            try await accounts.checkCredentials(
                .with {
                    $0.username = username
                    $0.password = body.password
                    $0.clientAddress = dependencies.clientAddresses.clientAddress(of: request)
                })
        }
        return try await tokens(for: checked.username, context: context)
    }

    struct RefreshBody: Decodable {
        var refreshToken: String
    }

    /// E06 `POST /api/users/refresh`: a live refresh token buys a new pair and is retired (D04: anything
    /// else 401 ERR-007). The user service checks the session: the user exists and is activated, the
    /// token version is current (no password change since), and the token is not retired (a retired one
    /// is accepted for 10 s more, for parallel refreshes).
    func refresh(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let body = try await request.decodeJSON(RefreshBody.self, limit: limit)
        let token = InputNormalizer.trimmed(body.refreshToken)
        try require(!token.isEmpty)
        guard let claims = try? await dependencies.tokenVerifier.verify(token, kind: .refresh),
            let tokenID = claims.jti, let version = claims.ver
        else {
            throw APIError(.invalidToken)
        }
        let session = try await upstream(logger: context.logger) {
            try await dependencies.upstreams.sessions.refreshSession(
                .with {
                    $0.username = claims.sub
                    $0.tokenID = tokenID
                    $0.tokenVersion = version
                })
        }
        return try await pair(for: session)
    }

    /// E07 `POST /api/users/{username}/reset-password`: mails a reset code, answers the masked e-mail.
    func requestPasswordReset(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let username = try context.parameters.username()
        let result = try await upstream(logger: context.logger) {
            try await accounts.requestPasswordReset(
                .with {
                    $0.username = username
                    $0.clientAddress = dependencies.clientAddresses.clientAddress(of: request)
                })
        }
        return try jsonResponse(["email": result.maskedEmail])
    }

    struct ResetBody: Decodable {
        var newPassword: String
        var token: String
    }

    /// E08 `PATCH /api/users/{username}/reset-password`: sets a new password with the mailed code.
    func resetPassword(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let body = try await request.decodeJSON(ResetBody.self, limit: limit)
        let code = InputNormalizer.trimmed(body.token)
        try require(ValidationRules.isValidPassword(body.newPassword))
        try require(ValidationRules.isValidCode(code))
        let username = try context.parameters.username()
        _ = try await upstream(logger: context.logger) {
            try await accounts.resetPassword(
                .with {
                    $0.username = username
                    $0.code = code
                    $0.newPassword = body.newPassword
                })
        }
        return Response(status: .noContent)
    }

    /// A token pair for a new session of `username` (stored by the user service first).
    private func tokens(for username: String, context: GatewayRequestContext) async throws -> Response {
        let session = try await upstream(logger: context.logger) {
            try await dependencies.upstreams.sessions.startSession(.with { $0.username = username })
        }
        return try await pair(for: session)
    }

    private func pair(for session: Alpha_User_V1_Session) async throws -> Response {
        let pair = try await dependencies.issuer.issuePair(
            for: session.username,
            session: RefreshSession(tokenID: session.tokenID, tokenVersion: session.tokenVersion)
        )
        return try jsonResponse(TokenPairBody(token: pair.accessToken, refreshToken: pair.refreshToken))
    }
}
