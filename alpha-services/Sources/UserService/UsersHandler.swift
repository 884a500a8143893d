import AlphaAuth
import AlphaContracts
import AlphaCore
import AlphaDomain
import GRPCCore

/// `alpha.user.v1.Users`: profiles, profile edits, password change, search (CONTRACT E09–E12) and the
/// batch lookup other services use.
///
/// Called on behalf of a signed-in user: the forwarded user token is required (the service credential
/// alone is not enough), except for `ListUsers`, which services may call on their own behalf.
public struct UsersHandler {
    /// The largest edit distance a search result may have (§7.1).
    public static let maxSearchDistance = 5

    private let repository: any UserRepository
    private let hasher: PasswordHasher

    public init(repository: any UserRepository, hasher: PasswordHasher = PasswordHasher()) {
        self.repository = repository
        self.hasher = hasher
    }
}

extension UsersHandler: Alpha_User_V1_Users.SimpleServiceProtocol {
    // MARK: - E11 change own password

    public func changePassword(
        request: Alpha_User_V1_ChangePasswordRequest,
        context: ServerContext
    ) async throws -> Alpha_User_V1_ChangePasswordResponse {
        let me = try Caller.requireUser()
        // Both must satisfy the policy (D48); old = new is allowed.
        guard ValidationRules.isValidPassword(request.oldPassword) else {
            throw ServiceError.badRequest("invalid old password")
        }
        guard ValidationRules.isValidPassword(request.newPassword) else {
            throw ServiceError.badRequest("invalid new password")
        }
        guard let record = try await repository.loginRecord(of: me) else { throw ServiceError.userNotFound(me) }
        guard try await hasher.verify(request.oldPassword, against: record.passwordHash) else {
            throw ServiceError.wrongPassword(.permissionDenied)
        }
        let newHash = try await hasher.hash(request.newPassword)
        guard try await repository.setPasswordHash(newHash, for: me) else { throw ServiceError.userNotFound(me) }
        return Alpha_User_V1_ChangePasswordResponse()
    }

    // MARK: - E12 profile

    public func getProfile(
        request: Alpha_User_V1_GetProfileRequest,
        context: ServerContext
    ) async throws -> Alpha_User_V1_Profile {
        let me = try Caller.requireUser()
        guard let profile = try await repository.profile(of: request.username, viewer: me) else {
            throw ServiceError.userNotFound(request.username)
        }
        return .with {
            $0.username = profile.username
            $0.nickname = profile.nickname
            $0.status = profile.status
            $0.picture = Alpha_User_V1_Picture(profile.picture)
            $0.followerCount = Int64(profile.followerCount)
            $0.followingCount = Int64(profile.followingCount)
            // Never set for one's own profile: nobody can follow themselves.
            $0.subscriptionID = profile.viewerSubscriptionID?.uuidString.lowercased() ?? ""
        }
    }

    // MARK: - E10 change trivial information

    public func updateProfile(
        request: Alpha_User_V1_UpdateProfileRequest,
        context: ServerContext
    ) async throws -> Alpha_User_V1_UpdateProfileResponse {
        let me = try Caller.requireUser()
        // Free text is normalised (trimmed, HTML-escaped) here, whoever calls (D34); limits apply to that form.
        let nickname = InputNormalizer.escapedFreeText(request.nickname)
        let status = InputNormalizer.escapedFreeText(request.status)
        guard ValidationRules.isValidNickname(nickname) else {
            throw ServiceError.badRequest("nickname too long")
        }
        guard ValidationRules.isValidStatus(status) else { throw ServiceError.badRequest("status too long") }
        var change: ProfilePictureChange?
        if request.resetPicture {
            change = .reset
        } else if let uploaded = try ProfilePicture.uploaded(request.hasPicture ? request.picture : nil) {
            change = .upload(uploaded, uploadID: try ProfilePicture.uploadID(request.pictureUploadID))
        }
        // The save is the picture's commit point: the image commit/deletion is in its outbox (issue 7).
        guard
            let version = try await repository.updateProfile(
                of: me, nickname: nickname, status: status, picture: change)
        else { throw ServiceError.userNotFound(me) }
        return .with {
            $0.nickname = nickname
            $0.status = status
            $0.pictureVersion = version
        }
    }

    // MARK: - E09 search

    public func searchUsers(
        request: Alpha_User_V1_SearchUsersRequest,
        context: ServerContext
    ) async throws -> Alpha_User_V1_SearchUsersResponse {
        try Caller.requireUser()
        let page = OffsetPage.normalized(offset: request.offset, limit: request.limit)
        // Usernames have at most 20 characters, so a longer query than 20 + 5 cannot be within 5 edits of
        // any; answering directly also keeps over-long input away from levenshtein()'s 255-character limit.
        let longestMatchable = ValidationRules.usernameMaxLength + Self.maxSearchDistance
        guard request.query.unicodeScalars.count <= longestMatchable else {
            return Alpha_User_V1_SearchUsersResponse()
        }
        let result = try await repository.searchUsers(
            query: request.query,
            maxDistance: Self.maxSearchDistance,
            offset: page.offset,
            limit: page.limit
        )
        return .with {
            $0.users = result.users.map(Alpha_User_V1_UserSummary.init)
            $0.total = Int64(result.total)
        }
    }

    // MARK: - batch lookup

    public func listUsers(
        request: Alpha_User_V1_ListUsersRequest,
        context: ServerContext
    ) async throws -> Alpha_User_V1_ListUsersResponse {
        // For services (building feeds) and users alike; the identity interceptor has already refused
        // calls that carry neither.
        guard let caller = Caller.current, caller.isService || caller.username != nil else {
            throw IdentityError.userRequired
        }
        var seen = Set<String>()
        let usernames = request.usernames.filter { seen.insert($0).inserted }
        let found = try await repository.userSummaries(of: usernames)
        // Answer in the order asked (first occurrence), unknown names left out.
        let byName = Dictionary(found.map { ($0.username, $0) }, uniquingKeysWith: { first, _ in first })
        return .with {
            $0.users = usernames.compactMap { byName[$0] }.map(Alpha_User_V1_UserSummary.init)
        }
    }
}
