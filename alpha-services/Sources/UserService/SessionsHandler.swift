import AlphaAuth
import AlphaContracts
import AlphaCore
import AlphaDomain
import Foundation
import GRPCCore

/// `alpha.user.v1.Sessions`: which refresh tokens are alive (DECISIONS, security round 2).
///
/// The gateway signs tokens and asks here first: `StartSession` after a login or activation,
/// `RefreshSession` for E06. Each refresh token has its own id (`jti`) and carries the user's token
/// version (`ver`); a refresh retires the presented token — still accepted for ``retiredGrace`` (parallel
/// refreshes of one client) — and stores its successor. A password change or reset bumps the version and
/// deletes the user's tokens, so every session ends at once. Anything not alive answers ERR-007.
/// Service credential required.
public struct SessionsHandler {
    /// How long a retired refresh token is still accepted.
    public static let retiredGrace: Duration = .seconds(10)

    private let repository: any SessionRepository
    private let clock: any WallClock
    private let refreshLifetime: Duration

    public init(
        repository: any SessionRepository,
        clock: any WallClock = SystemWallClock(),
        refreshLifetime: Duration = TokenPolicy.alpha.refreshLifetime
    ) {
        self.repository = repository
        self.clock = clock
        self.refreshLifetime = refreshLifetime
    }
}

extension SessionsHandler: Alpha_User_V1_Sessions.SimpleServiceProtocol {
    public func startSession(
        request: Alpha_User_V1_StartSessionRequest,
        context: ServerContext
    ) async throws -> Alpha_User_V1_Session {
        try Caller.requireService()
        let now = clock.now()
        let tokenID = UUID()
        guard
            let version = try await repository.startSession(
                for: request.username,
                tokenID: tokenID,
                now: now,
                expiresAt: now.addingTimeInterval(refreshLifetime.timeInterval)
            )
        else { throw ServiceError.invalidRefreshToken }
        return .with {
            $0.username = request.username
            $0.tokenID = tokenID.uuidString.lowercased()
            $0.tokenVersion = version
        }
    }

    public func refreshSession(
        request: Alpha_User_V1_RefreshSessionRequest,
        context: ServerContext
    ) async throws -> Alpha_User_V1_Session {
        try Caller.requireService()
        guard let presented = UUID(uuidString: request.tokenID) else { throw ServiceError.invalidRefreshToken }
        let now = clock.now()
        let successor = UUID()
        let outcome = try await repository.rotate(
            username: request.username,
            presented: presented,
            tokenVersion: request.tokenVersion,
            successor: successor,
            now: now,
            retiredBefore: now.addingTimeInterval(-Self.retiredGrace.timeInterval),
            expiresAt: now.addingTimeInterval(refreshLifetime.timeInterval)
        )
        guard case .rotated(let version) = outcome else { throw ServiceError.invalidRefreshToken }
        return .with {
            $0.username = request.username
            $0.tokenID = successor.uuidString.lowercased()
            $0.tokenVersion = version
        }
    }
}
