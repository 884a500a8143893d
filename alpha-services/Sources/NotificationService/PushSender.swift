import Foundation

/// What became of one attempt to push a notification to one subscription.
public enum PushSendOutcome: Sendable, Hashable {
    /// The push service accepted it.
    case sent
    /// A temporary failure (5xx, 429, timeout, network): try again later, not before `retryAfter` if given.
    case retryable(reason: String, retryAfter: Duration? = nil)
    /// Refused for good, but the subscription may still work for other pushes: give this one up.
    case rejected(reason: String)
    /// The subscription is dead (404/410, `DeviceNotRegistered`, unusable keys): delete it.
    case gone(reason: String)
}

/// Sends web pushes (RFC 8030 + RFC 8291 + RFC 8292).
public protocol WebPushSending: Sendable {
    /// Pushes `payload` to the web subscription once.
    func send(payload: String, endpoint: String, p256dh: String, auth: String) async -> PushSendOutcome
}

/// One Expo push message.
public struct ExpoMessage: Sendable, Hashable {
    public var token: String
    public var content: PushContent

    public init(token: String, content: PushContent) {
        self.token = token
        self.content = content
    }
}

/// Sends Expo pushes in batches.
public protocol ExpoPushSending: Sendable {
    /// The most messages one request may carry (Expo: 100).
    var maxBatchSize: Int { get }

    /// Sends `messages` in one request; one outcome per message, in order.
    func send(_ messages: [ExpoMessage]) async -> [PushSendOutcome]
}

/// Reads an HTTP `Retry-After` value given in seconds (the HTTP-date form is ignored: backoff applies).
func retryAfter(_ value: String?) -> Duration? {
    guard let value, let seconds = Int(value.trimmingCharacters(in: .whitespaces)), seconds >= 0 else { return nil }
    return .seconds(min(seconds, 3600))
}
