import AlphaContracts
import AlphaOutbox
import Foundation
import Logging
import NotificationOutbox
import PostgresNIO

/// The ``RepostNotifier`` of the running post service: writes the original author's `repost` notification
/// into the post service's outbox, in the repost's transaction; the outbox relay hands it to the
/// notification service after the commit (``NotificationDelivery``).
///
/// The post service knows only the reposter's username, so the push carries no nickname or picture; E26
/// resolves the actor afresh.
public struct OutboxRepostNotifier: RepostNotifier {
    private let outbox: Outbox
    private let now: @Sendable () -> Date

    public init(outbox: Outbox = Outbox(), now: @escaping @Sendable () -> Date = { Date() }) {
        self.outbox = outbox
        self.now = now
    }

    public func repostCreated(
        recipient: String,
        reposter: String,
        repostID: UUID,
        on connection: PostgresConnection,
        logger: Logger
    ) async throws {
        try await NotificationNotice.enqueue(
            type: .repost, recipient: recipient, actor: .with { $0.username = reposter }, date: now(),
            outbox: outbox, on: connection, logger: logger
        )
    }
}
