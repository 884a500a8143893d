import AlphaOutbox
import Foundation
import GRPCCore
import SwiftProtobuf

/// The one way an outbox relay topic hands a message to the notification service (``NotificationDelivery``,
/// the user service's `AccountMailDelivery`): the payload is a serialised request without its idempotency
/// key, which the outbox message's stable id fills in, so a repeated delivery is stored once.
public enum OutboxRequestDelivery {
    /// Decodes `message` as a `Request`, sets `idempotencyKey` to the message id (lowercase UUID) and sends
    /// it with `send`.
    ///
    /// Throws ``OutboxPermanentFailure`` when the payload is not a `Request` or the receiver rejects it as
    /// `INVALID_ARGUMENT` (retrying cannot help); any other failure is rethrown for the relay to retry.
    public static func deliver<Request: SwiftProtobuf.Message>(
        _ message: OutboxMessage,
        as _: Request.Type,
        idempotencyKey: WritableKeyPath<Request, String>,
        send: (Request) async throws -> Void
    ) async throws {
        var request: Request
        do {
            request = try Request(serializedBytes: message.payload)
        } catch {
            throw OutboxPermanentFailure("not a \(Request.protoMessageName): \(error)")
        }
        request[keyPath: idempotencyKey] = message.id.uuidString.lowercased()
        do {
            try await send(request)
        } catch let error as RPCError where error.code == .invalidArgument {
            throw OutboxPermanentFailure("the receiver rejected the \(Request.protoMessageName): \(error.message)")
        }
    }
}
