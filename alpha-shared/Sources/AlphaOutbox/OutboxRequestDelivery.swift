import Foundation
import GRPCCore
import SwiftProtobuf

/// The delivery of an outbox message as one request to another service whose receiver stores each
/// idempotency key once: the payload is the serialised request without its key, and the outbox message's
/// stable id fills the key in, so a repeated delivery (a retry after a lost answer, a relay whose lease ran
/// out) is stored once.
///
/// ```swift
/// OutboxTopic("user.account_mail") { message in
///     try await OutboxRequestDelivery.deliver(
///         message, as: Alpha_Notification_V1_SendMailRequest.self, idempotencyKey: \.mailID
///     ) { request in
///         _ = try await mail.sendMail(request)
///     }
/// }
/// ```
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
