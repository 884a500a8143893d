import Foundation
import Logging

/// A push the delivery worker has claimed: reserved for it until its lease runs out.
public struct ClaimedPush: DeliveryClaim, Hashable {
    public var id: UUID
    public var notificationID: UUID
    public var subscriptionID: UUID
    public var target: PushTarget
    public var content: PushContent
    /// The number of this attempt (1 = the first); also the claim's fencing token.
    public var attempt: Int

    public init(
        id: UUID, notificationID: UUID, subscriptionID: UUID, target: PushTarget, content: PushContent, attempt: Int
    ) {
        self.id = id
        self.notificationID = notificationID
        self.subscriptionID = subscriptionID
        self.target = target
        self.content = content
        self.attempt = attempt
    }

    /// `web` or `expo`, for logs and metric labels.
    public var kind: String {
        switch target {
        case .web: "web"
        case .expo: "expo"
        }
    }

    public var kindLabel: String { kind }

    public var logMetadata: Logger.Metadata {
        [
            "notification.id": "\(notificationID.uuidString.lowercased())",
            "push.subscription_id": "\(subscriptionID.uuidString.lowercased())",
        ]
    }
}

/// Delivers queued pushes: web pushes concurrently, Expo pushes in batches of up to 100; a dead
/// subscription (404/410, `DeviceNotRegistered`, unusable keys, expired) is pruned. The loop, retries
/// and records are the ``DeliveryWorker``'s, the same as the mail's.
///
/// ```swift
/// process.add(PushDeliveryWorker(queue: queue, web: webSender, expo: expoSender,
///                                configuration: push.delivery, logger: process.logger))
/// ```
public typealias PushDeliveryWorker = DeliveryWorker<ClaimedPush>

extension DeliveryWorker where Claim == ClaimedPush {
    /// A worker sending the pushes of `queue` with `web` and `expo`.
    public init(
        queue: any DeliveryQueue<ClaimedPush>,
        web: any WebPushSending,
        expo: any ExpoPushSending,
        configuration: DeliveryConfiguration,
        metrics: PushMetrics = PushMetrics(),
        logger: Logger
    ) {
        self.init(subject: "push", queue: queue, configuration: configuration, metrics: metrics, logger: logger) {
            claimed, record in
            var expoPushes: [(push: ClaimedPush, token: String)] = []
            await withTaskGroup(of: Void.self) { group in
                for push in claimed {
                    switch push.target {
                    case .web(let endpoint, let p256dh, let auth, let expiresAt):
                        group.addTask {
                            if let expiresAt, expiresAt < Date() {
                                return await record(push, .gone(reason: "subscription expired"))
                            }
                            let outcome = await web.send(
                                payload: push.content.payload, endpoint: endpoint, p256dh: p256dh, auth: auth)
                            await record(push, DeliveryOutcome(outcome))
                        }
                    case .expo(let token):
                        expoPushes.append((push, token))
                    }
                }
                for start in stride(from: 0, to: expoPushes.count, by: expo.maxBatchSize) {
                    let batch = Array(expoPushes[start..<min(start + expo.maxBatchSize, expoPushes.count)])
                    group.addTask {
                        let outcomes = await expo.send(
                            batch.map { ExpoMessage(token: $0.token, content: $0.push.content) })
                        for (push, outcome) in zip(batch.map(\.push), outcomes) {
                            await record(push, DeliveryOutcome(outcome))
                        }
                    }
                }
            }
        }
    }
}
