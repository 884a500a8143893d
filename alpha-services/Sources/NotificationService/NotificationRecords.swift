import Foundation

/// A user as a notification names them: the actor snapshot the triggering service sent.
public struct NotificationActor: Sendable, Hashable, Codable {
    public struct Picture: Sendable, Hashable, Codable {
        public var url: String
        public var width: Int
        public var height: Int

        public init(url: String, width: Int, height: Int) {
            self.url = url
            self.width = width
            self.height = height
        }
    }

    public var username: String
    public var nickname: String
    /// Omitted from push payloads when `nil`.
    public var picture: Picture?

    public init(username: String, nickname: String, picture: Picture?) {
        self.username = username
        self.nickname = nickname
        self.picture = picture
    }
}

/// A stored notification.
public struct NotificationRecord: Sendable, Hashable {
    public var id: UUID
    public var recipient: String
    public var actor: String
    public var type: NotificationType
    public var createdAt: Date

    public init(id: UUID, recipient: String, actor: String, type: NotificationType, createdAt: Date) {
        self.id = id
        self.recipient = recipient
        self.actor = actor
        self.type = type
        self.createdAt = createdAt
    }
}

/// A push subscription to register (E29).
public enum PushTarget: Sendable, Hashable {
    /// A browser's `PushSubscription`: endpoint, keys (as given, base64url expected) and expiry.
    case web(endpoint: String, p256dh: String, auth: String, expiresAt: Date?)
    /// An Expo push token.
    case expo(token: String)
}

/// What deleting a notification found.
public enum NotificationDeletion: Sendable, Hashable {
    case deleted
    case notFound
    /// It exists but is addressed to someone else (D10: 403 ERR-024).
    case notRecipient
}
