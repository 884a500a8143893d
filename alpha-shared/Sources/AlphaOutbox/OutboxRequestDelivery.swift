import Foundation
import GRPCCore
import SwiftProtobuf

/// The delivery of an outbox message as one request to another service. For a receiver that stores each
/// idempotency key once, the payload is the serialised request without its key, and the outbox message's
/// stable id fills the key in, so a repeated delivery (a retry after a lost answer, a relay whose lease ran
/// out) is stored once; a receiver that applies repeats idempotently by their content (a versioned change)
/// gets the request unchanged.
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
        as type: Request.Type,
        idempotencyKey: WritableKeyPath<Request, String>,
        send: (Request) async throws -> Void
    ) async throws {
        try await deliver(message, as: type) { decoded in
            var request = decoded
            request[keyPath: idempotencyKey] = message.id.uuidString.lowercased()
            try await send(request)
        }
    }

    /// Decodes `message` as a `Request` and sends it unchanged with `send` — for a receiver that applies a
    /// repeated request idempotently by its content (a versioned change, for instance).
    ///
    /// Throws ``OutboxPermanentFailure`` when the payload is not a `Request` or the receiver rejects it as
    /// `INVALID_ARGUMENT`; any other failure is rethrown for the relay to retry.
    public static func deliver<Request: SwiftProtobuf.Message>(
        _ message: OutboxMessage,
        as _: Request.Type,
        send: (Request) async throws -> Void
    ) async throws {
        let request: Request
        do {
            request = try Request(serializedBytes: message.payload)
        } catch {
            throw OutboxPermanentFailure("not a \(Request.protoMessageName): \(error)")
        }
        do {
            try await send(request)
        } catch let error as RPCError where error.code == .invalidArgument {
            throw OutboxPermanentFailure("the receiver rejected the \(Request.protoMessageName): \(error.message)")
        }
    }
}
