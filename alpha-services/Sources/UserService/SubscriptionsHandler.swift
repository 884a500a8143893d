import AlphaAuth
import AlphaContracts
import AlphaCore
import AlphaDomain
import Foundation
import GRPCCore

/// `alpha.user.v1.Subscriptions`: follow, unfollow and the followers/followings lists (CONTRACT E13–E15).
///
/// Called on behalf of a signed-in user; the caller is the follower of what they create and may only
/// delete their own subscriptions.
public struct SubscriptionsHandler {
    private let repository: any SubscriptionRepository
    private let clock: any WallClock

    public init(repository: any SubscriptionRepository, clock: any WallClock = SystemWallClock()) {
        self.repository = repository
        self.clock = clock
    }
}

extension SubscriptionsHandler: Alpha_User_V1_Subscriptions.SimpleServiceProtocol {
    // MARK: - E13 follow

    public func createSubscription(
        request: Alpha_User_V1_CreateSubscriptionRequest,
        context: ServerContext
    ) async throws -> Alpha_User_V1_Subscription {
        let me = try Caller.requireUser()
        let following = request.following
        guard ValidationRules.isValidUsername(following) else { throw ServiceError.badRequest("invalid username") }
        guard following != me else {
            throw ServiceError(
                .failedPrecondition, code: ErrorCode.subscriptionSelfFollow.code, message: "cannot follow oneself")
        }
        guard try await repository.userExists(following) else { throw ServiceError.userNotFound(following) }
        // Stored with full precision (lists are ordered by it); answered in whole seconds (§1.2).
        let subscription = SubscriptionRecord(id: UUID(), createdAt: clock.now(), follower: me, following: following)
        do {
            try await repository.create(subscription)
        } catch SubscriptionConflict.alreadyExists {
            throw ServiceError(
                .alreadyExists,
                code: ErrorCode.subscriptionAlreadyExists.code,
                message: "\(me) already follows \(following)"
            )
        } catch SubscriptionConflict.unknownUser {
            throw ServiceError.userNotFound(following)
        }
        return .with {
            $0.subscriptionID = subscription.id.uuidString.lowercased()
            $0.createdAt = Timestamp.string(from: subscription.createdAt)
            $0.follower = subscription.follower
            $0.following = subscription.following
        }
    }

    // MARK: - E14 unfollow

    public func deleteSubscription(
        request: Alpha_User_V1_DeleteSubscriptionRequest,
        context: ServerContext
    ) async throws -> Alpha_User_V1_DeleteSubscriptionResponse {
        let me = try Caller.requireUser()
        // A malformed id is "not found" with the subscription's own code (D11).
        guard let id = ValidationRules.pathUUID(request.subscriptionID) else {
            throw ServiceError.subscriptionNotFound(request.subscriptionID)
        }
        switch try await repository.delete(id: id, follower: me) {
        case .deleted:
            return Alpha_User_V1_DeleteSubscriptionResponse()
        case .notFound:
            throw ServiceError.subscriptionNotFound(request.subscriptionID)
        case .notFollower:
            throw ServiceError(
                .permissionDenied,
                code: ErrorCode.unsubscribeForbidden.code,
                message: "\(me) is not the follower of \(request.subscriptionID)"
            )
        }
    }

    // MARK: - E15 followers / followings

    public func listSubscriptions(
        request: Alpha_User_V1_ListSubscriptionsRequest,
        context: ServerContext
    ) async throws -> Alpha_User_V1_ListSubscriptionsResponse {
        let me = try Caller.requireUser()
        // Anything but FOLLOWING lists followers (E15: `type` other than `following`).
        let direction: FollowDirection = request.direction == .following ? .following : .followers
        let page = OffsetPage.normalized(offset: request.offset, limit: request.limit)
        guard let total = try await repository.count(of: request.username, direction: direction) else {
            throw ServiceError.userNotFound(request.username)
        }
        let listings =
            total > page.offset
            ? try await repository.list(
                of: request.username,
                direction: direction,
                viewer: me,
                offset: page.offset,
                limit: page.limit
            ) : []
        return .with {
            $0.records = listings.map { listing in
                .with {
                    $0.username = listing.user.username
                    $0.nickname = listing.user.nickname
                    $0.picture = Alpha_User_V1_Picture(listing.user.picture)
                    $0.followerID = listing.theirSubscriptionID?.uuidString.lowercased() ?? ""
                    $0.followingID = listing.viewerSubscriptionID?.uuidString.lowercased() ?? ""
                }
            }
            $0.total = Int64(total)
        }
    }
}
