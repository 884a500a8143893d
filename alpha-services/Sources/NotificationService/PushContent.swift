import AlphaDomain
import Foundation

/// What every push of one notification carries (§5.3), rendered once when the notification is stored.
public struct PushContent: Sendable, Hashable {
    /// The web push plaintext and the Expo `data`: the Notification record as JSON, with the RFC 3339
    /// timestamp (D14) and `user.picture` omitted when unknown.
    public var payload: String
    /// Expo `title` and `body`.
    public var title: String
    public var body: String

    public init(payload: String, title: String, body: String) {
        self.payload = payload
        self.title = title
        self.body = body
    }

    /// The content for `record` caused by `actor`.
    public init(record: NotificationRecord, actor: NotificationActor) {
        struct Payload: Encodable {
            var notificationId: String
            var timestamp: String
            var notificationType: String
            var user: NotificationActor
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let payload = Payload(
            notificationId: record.id.uuidString.lowercased(),
            timestamp: Timestamp.string(from: record.createdAt),
            notificationType: record.type.rawValue,
            user: actor
        )
        // Encoding plain strings and integers cannot fail.
        let json = String(decoding: try! encoder.encode(payload), as: UTF8.self)
        let text = record.type.expoText(actor: actor.username)
        self.init(payload: json, title: text.title, body: text.body)
    }
}
