import AlphaContracts
import AlphaOutbox
import GRPCCore

/// Delivers the ``FollowChanges/topic`` messages of the user service's outbox to the post service's
/// `alpha.post.v1.FollowReplica/ApplyFollowChange`.
///
/// The post service applies a change only over a lower version of the same pair, so a change delivered
/// again (a retry after a lost answer, an expired lease) or after a later one changes nothing. Generic over
/// the transport; the client must carry the service credential (the kit's clients do).
///
/// ```swift
/// let posts = try process.addGRPCClient(urlKey: "post.service.url", defaultTarget: "127.0.0.1:50052")
/// try process.addOutboxRelay(client: postgres, topics: [FollowChangeDelivery(client: posts).topic])
/// ```
public struct FollowChangeDelivery<Transport: ClientTransport>: Sendable {
    private let client: Alpha_Post_V1_FollowReplica.Client<Transport>

    public init(client: GRPCClient<Transport>) {
        self.client = Alpha_Post_V1_FollowReplica.Client(wrapping: client)
    }

    /// The outbox topic that delivers ``FollowChanges/topic`` messages through this client.
    public var topic: OutboxTopic {
        OutboxTopic(FollowChanges.topic) { message in try await deliver(message) }
    }

    /// Hands one change to the post service; returns once it applied (or already had) it.
    ///
    /// Throws ``OutboxPermanentFailure`` when the payload is not a change or the post service rejects it as
    /// invalid; any other failure is retried by the relay.
    public func deliver(_ message: OutboxMessage) async throws {
        try await OutboxRequestDelivery.deliver(message, as: Alpha_Post_V1_FollowChange.self) { change in
            _ = try await client.applyFollowChange(change)
        }
    }
}
