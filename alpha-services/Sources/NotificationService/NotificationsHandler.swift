import AlphaAuth
import AlphaContracts
import AlphaCore
import AlphaDomain
import Foundation
import GRPCCore

/// `alpha.notification.v1.Notifications`: stores notifications relayed from other services (E13 follow,
/// E16 repost, chat) and lists and deletes them for their recipient (E26, E27).
///
/// `CreateNotification` is idempotent per `notification_id` (a repeat answers success and stores nothing
/// new, also after the recipient deleted it) and only services may call it; the others act for the
/// signed-in user and only ever touch the caller's own notifications.
public struct NotificationsHandler {
    private let store: any NotificationStore
    private let metrics: PushMetrics

    public init(store: any NotificationStore, metrics: PushMetrics = PushMetrics()) {
        self.store = store
        self.metrics = metrics
    }
}

extension NotificationsHandler: Alpha_Notification_V1_Notifications.SimpleServiceProtocol {
    public func createNotification(
        request: Alpha_Notification_V1_CreateNotificationRequest,
        context: ServerContext
    ) async throws -> Alpha_Notification_V1_CreateNotificationResponse {
        try Caller.requireService()
        guard let id = UUID(uuidString: request.notificationID) else {
            throw ServiceError.badRequest("notification_id must be a UUID")
        }
        guard let type = NotificationType(request.type) else { throw ServiceError.badRequest("unknown type") }
        guard ValidationRules.isValidUsername(request.recipient),
            ValidationRules.isValidUsername(request.actor.username)
        else { throw ServiceError.badRequest("recipient and actor must be usernames") }
        var answer = Alpha_Notification_V1_CreateNotificationResponse.with {
            $0.notificationID = id.uuidString.lowercased()
            $0.stored = false
        }
        // D45: nobody is notified of their own action (e.g. reposting their own post).
        guard request.actor.username != request.recipient else { return answer }

        let createdAt = Timestamp.date(from: request.occurredAt) ?? Date()
        let record = NotificationRecord(
            id: id, recipient: request.recipient, actor: request.actor.username, type: type, createdAt: createdAt)
        let actor = NotificationActor(
            username: request.actor.username,
            nickname: request.actor.nickname,
            picture: request.actor.hasPicture && !request.actor.picture.url.isEmpty
                ? NotificationActor.Picture(
                    url: request.actor.picture.url,
                    width: Int(request.actor.picture.width),
                    height: Int(request.actor.picture.height))
                : nil
        )
        let storage = try await store.create(record, content: PushContent(record: record, actor: actor))
        metrics.stored(type, storage)
        answer.stored = storage.stored
        return answer
    }

    public func listNotifications(
        request: Alpha_Notification_V1_ListNotificationsRequest,
        context: ServerContext
    ) async throws -> Alpha_Notification_V1_ListNotificationsResponse {
        let me = try Caller.requireUser()
        let records = try await store.list(recipient: me)
        return .with {
            $0.notifications = records.map { record in
                .with {
                    $0.notificationID = record.id.uuidString.lowercased()
                    $0.timestamp = Timestamp.string(from: record.createdAt)
                    $0.type = record.type.wire
                    $0.actor = record.actor
                }
            }
        }
    }

    public func deleteNotification(
        request: Alpha_Notification_V1_DeleteNotificationRequest,
        context: ServerContext
    ) async throws -> Alpha_Notification_V1_DeleteNotificationResponse {
        let me = try Caller.requireUser()
        guard let id = ValidationRules.pathUUID(request.notificationID) else {
            throw ServiceError.notificationNotFound(request.notificationID)
        }
        switch try await store.delete(id, caller: me) {
        case .deleted: return Alpha_Notification_V1_DeleteNotificationResponse()
        case .notFound: throw ServiceError.notificationNotFound(request.notificationID)
        case .notRecipient: throw ServiceError.deleteNotificationForbidden(request.notificationID)
        }
    }
}
