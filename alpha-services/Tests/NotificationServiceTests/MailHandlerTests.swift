import AlphaContracts
import AlphaCore
import AlphaGRPC
import AlphaServicesTesting
import AlphaTesting
import Foundation
import GRPCCore
import NotificationService
import Testing

@Suite("SendMail RPC")
struct MailHandlerTests {
    static func request(
        id: UUID = UUID(),
        kind: Alpha_Notification_V1_MailKind = .activationCode,
        to: String = "alice@example.org",
        code: String = "123456"
    ) -> Alpha_Notification_V1_SendMailRequest {
        .with {
            $0.mailID = id.uuidString
            $0.kind = kind
            $0.toAddress = to
            $0.username = "alice"
            $0.code = code
        }
    }

    /// Runs the handler on the kit's full interceptor chain (in process) over a fresh outbox.
    static func withMailService(
        sendCredential: Bool = true,
        metrics: RecordingMetrics = RecordingMetrics(),
        _ body:
            @Sendable (any Alpha_Notification_V1_Mail.ClientProtocol, OutboxDatabase, TestIdentity) async throws -> Void
    ) async throws {
        try await OutboxDatabase.with { database in
            let identity = TestIdentity()
            let handler = MailHandler(outbox: database.outbox, metrics: MailMetrics(factory: metrics))
            try await withInProcessServer(services: [handler], identity: identity, sendCredential: sendCredential) {
                client in
                try await body(Alpha_Notification_V1_Mail.Client(wrapping: client), database, identity)
            }
        }
    }

    @Test("a service's SendMail stores the mail in the outbox before answering")
    func storesMail() async throws {
        let metrics = RecordingMetrics()
        try await Self.withMailService(metrics: metrics) { mail, database, _ in
            let id = UUID()

            let response = try await mail.sendMail(Self.request(id: id, kind: .passwordResetCode, code: "987654"))

            #expect(response.mailID == id.uuidString.lowercased())
            let row = try #require(try await database.row(id))
            #expect(row.kind == "password_reset_code")
            #expect(row.toAddress == "alice@example.org")
            #expect(row.username == "alice")
            #expect(row.code == "987654")
            #expect(row.state == "queued")
            #expect(row.attempts == 0)
            #expect(metrics.counter("mail_queued_total", [("kind", "password_reset_code")]) == 1)
        }
    }

    @Test("a repeat with the same mail id answers the same and stores nothing new")
    func idempotent() async throws {
        let metrics = RecordingMetrics()
        try await Self.withMailService(metrics: metrics) { mail, database, _ in
            let id = UUID()
            let first = try await mail.sendMail(Self.request(id: id, code: "111111"))
            let second = try await mail.sendMail(Self.request(id: id, code: "222222"))

            #expect(first.mailID == second.mailID)
            #expect(try await database.count() == 1)
            #expect(try await database.row(id)?.code == "111111")
            #expect(metrics.counter("mail_queued_total", [("kind", "activation_code")]) == 1)
        }
    }

    @Test("a user token without the service credential is refused with permissionDenied")
    func userTokenIsNotEnough() async throws {
        try await Self.withMailService(sendCredential: false) { mail, database, identity async throws in
            // A valid user token, as the gateway would forward it, but no service credential.
            let token = await identity.accessToken(for: "alice")
            let error = await #expect(throws: RPCError.self) {
                try await mail.sendMail(Self.request(), metadata: ["authorization": "Bearer \(token)"])
            }
            #expect(error?.code == .permissionDenied)
            #expect(try await database.count() == 0)
        }
    }

    @Test("a call with no credential at all is refused with unauthenticated")
    func anonymousIsRefused() async throws {
        try await Self.withMailService(sendCredential: false) { mail, database, _ async throws in
            let error = await #expect(throws: RPCError.self) {
                try await mail.sendMail(Self.request())
            }
            #expect(error?.code == .unauthenticated)
            #expect(try await database.count() == 0)
        }
    }

    @Test(
        "an unknown kind, a bad address or a bad mail id is invalidArgument with ERR-001",
        arguments: [
            MailHandlerTests.request(kind: .unspecified),
            MailHandlerTests.request(kind: .UNRECOGNIZED(42)),
            MailHandlerTests.request(to: "not-an-address"),
            MailHandlerTests.request(to: "alice@localhost"),
            MailHandlerTests.request(to: ""),
            {
                var request = MailHandlerTests.request()
                request.mailID = "mail-1"
                return request
            }(),
        ]
    )
    func invalidRequest(request: Alpha_Notification_V1_SendMailRequest) async throws {
        try await Self.withMailService { mail, database, _ async throws in
            let error = await #expect(throws: RPCError.self) {
                try await mail.sendMail(request)
            }
            #expect(error?.code == .invalidArgument)
            #expect(error.flatMap(ServiceError.init(remote:))?.code == "ERR-001")
            #expect(try await database.count() == 0)
        }
    }

    @Test("SendMail to delivery: the stored mail reaches Mailgun with its code")
    func endToEnd() async throws {
        try await Self.withMailService { mail, database, _ in
            try await withFakeMailgun { mailgun in
                let worker = MailDeliveryWorker(
                    queue: database.outbox,
                    sender: MailgunSender(configuration: mailgun.configuration, logger: .quiet),
                    from: "Server Alpha <team@mail.example.test>",
                    configuration: .fast(),
                    metrics: MailMetrics(factory: RecordingMetrics()),
                    logger: .quiet
                )
                let id = UUID()
                _ = try await mail.sendMail(Self.request(id: id, to: "erin@example.org", code: "314159"))

                let sent = try await whileRunning([worker]) {
                    try await eventually { try await database.state(id) == "sent" }
                }

                #expect(sent)
                let accepted = await mailgun.acceptedRequests()
                #expect(accepted.count == 1)
                #expect(accepted.first?.form?.to == "erin@example.org")
                #expect(accepted.first?.form?.text?.contains("314159") == true)
            }
        }
    }
}
