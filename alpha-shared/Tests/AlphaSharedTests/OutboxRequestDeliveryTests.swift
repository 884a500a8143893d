import AlphaOutbox
import Foundation
import GRPCCore
import Testing

/// ``OutboxRequestDelivery`` with the example contract's `SayRequest` standing in for a request whose
/// `text` is the idempotency key.
@Suite("Outbox request delivery")
struct OutboxRequestDeliveryTests {
    static func message(_ payload: [UInt8]) -> OutboxMessage {
        OutboxMessage(
            id: Outbox.newMessageID(), topic: "echo.say", payload: Data(payload), createdAt: Date(), attempt: 1)
    }

    @Test("the request is decoded from the payload and carries the message id as its idempotency key")
    func keyFromMessageID() async throws {
        let message = Self.message(try Alpha_Echo_V1_SayRequest().serializedBytes())
        var sent: [Alpha_Echo_V1_SayRequest] = []
        try await OutboxRequestDelivery.deliver(message, as: Alpha_Echo_V1_SayRequest.self, idempotencyKey: \.text) {
            sent.append($0)
        }
        #expect(sent.map(\.text) == [message.id.uuidString.lowercased()])
    }

    @Test("an undecodable payload or INVALID_ARGUMENT fails for good; other errors stay retryable")
    func permanentAndRetryableFailures() async throws {
        await #expect(throws: OutboxPermanentFailure.self) {
            try await OutboxRequestDelivery.deliver(
                Self.message([0xFF, 0xFF, 0xFF]), as: Alpha_Echo_V1_SayRequest.self, idempotencyKey: \.text
            ) { _ in Issue.record("a payload that does not decode must not be sent") }
        }
        let valid = Self.message(try Alpha_Echo_V1_SayRequest().serializedBytes())
        await #expect(throws: OutboxPermanentFailure.self) {
            try await OutboxRequestDelivery.deliver(valid, as: Alpha_Echo_V1_SayRequest.self, idempotencyKey: \.text) {
                _ in throw RPCError(code: .invalidArgument, message: "bad")
            }
        }
        let unavailable = await #expect(throws: RPCError.self) {
            try await OutboxRequestDelivery.deliver(valid, as: Alpha_Echo_V1_SayRequest.self, idempotencyKey: \.text) {
                _ in throw RPCError(code: .unavailable, message: "down")
            }
        }
        #expect(unavailable?.code == .unavailable)
    }
}
