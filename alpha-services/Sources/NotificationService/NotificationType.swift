import AlphaContracts

/// What a notification is about (CONTRACT §5.2); the raw value is the contract's `notificationType`.
public enum NotificationType: String, Sendable, Hashable, CaseIterable {
    case follow
    case repost
    case message

    init?(_ wire: Alpha_Notification_V1_NotificationType) {
        switch wire {
        case .follow: self = .follow
        case .repost: self = .repost
        case .message: self = .message
        default: return nil
        }
    }

    var wire: Alpha_Notification_V1_NotificationType {
        switch self {
        case .follow: .follow
        case .repost: .repost
        case .message: .message
        }
    }

    /// The Expo push title and body (§5.3, D15: `message` gets its own texts instead of `{}`).
    func expoText(actor: String) -> (title: String, body: String) {
        switch self {
        case .follow: ("New Follower!", "\(actor) started following you")
        case .repost: ("New Repost!", "\(actor) reposted your post")
        case .message: ("New Message!", "\(actor) sent you a message")
        }
    }
}
