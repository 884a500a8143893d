import AlphaCore
import AlphaServicesTesting
import Foundation
import Logging
import NotificationService
import ServiceLifecycle
import Testing

@Suite("Mail delivery worker")
struct MailDeliveryWorkerTests {
    static let from = "Server Alpha <team@mail.example.test>"

    static func worker(
        _ database: OutboxDatabase,
        _ mailgun: FakeMailgun,
        configuration: DeliveryConfiguration = .fast(),
        metrics: RecordingMetrics = RecordingMetrics(),
        logger: Logger = .quiet
    ) -> MailDeliveryWorker {
        MailDeliveryWorker(
            queue: database.outbox,
            sender: MailgunSender(configuration: mailgun.configuration, timeout: .seconds(5), logger: logger),
            from: from,
            configuration: configuration,
            metrics: MailMetrics(factory: metrics),
            logger: logger
        )
    }

    @Test("a queued mail reaches Mailgun with its code and is marked sent")
    func delivers() async throws {
        try await OutboxDatabase.with { database in
            try await withFakeMailgun { mailgun in
                let metrics = RecordingMetrics()
                let worker = Self.worker(database, mailgun, metrics: metrics)
                let mail = try await database.enqueue(.passwordResetCode, to: "carol@example.org", code: "550132")

                #expect(try await worker.deliverDue() == 1)

                let accepted = await mailgun.acceptedRequests()
                try #require(accepted.count == 1)
                #expect(accepted[0].form?.to == "carol@example.org")
                #expect(accepted[0].form?.from == Self.from)
                #expect(accepted[0].form?.subject == "Dein Code zum Zurücksetzen des Passworts")
                #expect(accepted[0].form?.text?.contains("550132") == true)
                #expect(accepted[0].form?.html?.contains("550132") == true)
                let row = try #require(try await database.row(mail.id))
                #expect(row.state == "sent")
                #expect(row.attempts == 1)
                #expect(row.sentAt != nil)
                #expect(row.lastError == nil)
                #expect(metrics.counter("mail_sent_total", [("kind", "password_reset_code")]) == 1)
            }
        }
    }

    @Test("while Mailgun answers 5xx the mail waits; once it recovers the mail is delivered exactly once")
    func survivesOutage() async throws {
        try await OutboxDatabase.with { database in
            try await withFakeMailgun { mailgun in
                await mailgun.failNext(4, status: 503)
                let metrics = RecordingMetrics()
                let worker = Self.worker(database, mailgun, metrics: metrics)
                let mail = try await database.enqueue()

                let sent = try await whileRunning([worker]) {
                    try await eventually { try await database.state(mail.id) == "sent" }
                }

                #expect(sent)
                #expect(await mailgun.acceptedRequests().count == 1)
                #expect(await mailgun.requests().map(\.status) == [503, 503, 503, 503, 200])
                let row = try #require(try await database.row(mail.id))
                #expect(row.attempts == 5)
                #expect(row.lastError == nil)
                #expect(metrics.counter("mail_retried_total", [("kind", "activation_code")]) == 4)
                #expect(metrics.counter("mail_sent_total", [("kind", "activation_code")]) == 1)
                // Nothing is left to send: a sent mail is never claimed again.
                #expect(try await worker.deliverDue() == 0)
                #expect(await mailgun.requests().count == 5)
            }
        }
    }

    @Test("a failed attempt is rescheduled with backoff and its error recorded")
    func reschedulesWithBackoff() async throws {
        try await OutboxDatabase.with { database in
            try await withFakeMailgun { mailgun in
                await mailgun.failNext(1, status: 500)
                var configuration = DeliveryConfiguration.fast()
                configuration.backoff = RetryBackoff(base: .seconds(60), maximum: .seconds(600))
                let worker = Self.worker(database, mailgun, configuration: configuration)
                let mail = try await database.enqueue()

                #expect(try await worker.deliverDue() == 1)

                let row = try #require(try await database.row(mail.id))
                #expect(row.state == "queued")
                #expect(row.attempts == 1)
                #expect(row.lastError == "mailgun answered HTTP 500: scripted failure 500")
                // 60 s minus at most 25 % jitter from now.
                let wait = row.nextAttemptAt.timeIntervalSinceNow
                #expect(wait > 40 && wait <= 61)
                // Not due yet, so not sent again.
                #expect(try await worker.deliverDue() == 0)
                #expect(await mailgun.requests().count == 1)
            }
        }
    }

    @Test("a permanent 4xx marks the mail failed and it is never retried")
    func permanentFailure() async throws {
        try await OutboxDatabase.with { database in
            try await withFakeMailgun { mailgun in
                await mailgun.reject(recipient: "bounce@example.org")
                let metrics = RecordingMetrics()
                let worker = Self.worker(database, mailgun, metrics: metrics)
                let mail = try await database.enqueue(to: "bounce@example.org")

                #expect(try await worker.deliverDue() == 1)

                let row = try #require(try await database.row(mail.id))
                #expect(row.state == "failed")
                #expect(row.attempts == 1)
                #expect(row.lastError?.contains("HTTP 400") == true)
                #expect(metrics.counter("mail_failed_total", [("kind", "activation_code")]) == 1)
                #expect(metrics.counter("mail_retried_total", [("kind", "activation_code")]) == 0)
                // Even when due by time, a failed mail is not claimed again.
                try await database.execute("UPDATE mail_outbox SET next_attempt_at = now() - interval '1 hour'")
                #expect(try await worker.deliverDue() == 0)
                #expect(await mailgun.requests().count == 1)
            }
        }
    }

    @Test("after the last attempt a mail that keeps failing temporarily is marked failed")
    func givesUpAfterMaxAttempts() async throws {
        try await OutboxDatabase.with { database in
            try await withFakeMailgun { mailgun in
                await mailgun.failNext(100, status: 502)
                let metrics = RecordingMetrics()
                let worker = Self.worker(database, mailgun, configuration: .fast(maxAttempts: 3), metrics: metrics)
                let mail = try await database.enqueue()

                // The worker counts the failure after it has stored it: wait for both before stopping it.
                let failed = try await whileRunning([worker]) {
                    try await eventually {
                        try await database.state(mail.id) == "failed"
                            && metrics.counter("mail_failed_total", [("kind", "activation_code")]) == 1
                    }
                }

                #expect(failed)
                #expect(await mailgun.requests().count == 3)
                let row = try #require(try await database.row(mail.id))
                #expect(row.attempts == 3)
                #expect(row.lastError?.hasPrefix("gave up after 3 attempts; last: mailgun answered HTTP 502") == true)
                #expect(metrics.counter("mail_retried_total", [("kind", "activation_code")]) == 2)
                #expect(metrics.counter("mail_failed_total", [("kind", "activation_code")]) == 1)
            }
        }
    }

    @Test("a mail claimed by a worker that died is sent by the next pass once the lease runs out, once")
    func claimOfDeadWorkerIsTakenOver() async throws {
        try await OutboxDatabase.with { database in
            try await withFakeMailgun { mailgun in
                let worker = Self.worker(database, mailgun)
                let mail = try await database.enqueue()
                // A worker claims the mail and dies before sending it.
                let lease = Duration.seconds(1)
                let beforeClaim = ContinuousClock.now
                #expect(try await database.outbox.claimDue(limit: 10, lease: lease).count == 1)
                // Never sent while the lease runs; on a loaded machine the lease may have run out by the time
                // the next pass starts, and then that pass sends it.
                if try await worker.deliverDue() == 1 {
                    #expect(ContinuousClock.now - beforeClaim >= lease)
                } else {
                    #expect(try await eventually { try await worker.deliverDue() == 1 })
                }

                #expect(await mailgun.acceptedRequests().count == 1)
                let row = try #require(try await database.row(mail.id))
                #expect(row.state == "sent" && row.attempts == 2)
            }
        }
    }

    @Test("two workers on one outbox send every mail exactly once")
    func concurrentWorkers() async throws {
        try await OutboxDatabase.with { database in
            try await withFakeMailgun { mailgun in
                await mailgun.delayAnswers(by: .milliseconds(10))
                await mailgun.failNext(5, status: 500)
                let recipients = (1...30).map { "user\($0)@example.org" }
                for recipient in recipients {
                    try await database.enqueue(to: recipient)
                }
                let workers = [
                    Self.worker(database, mailgun, configuration: .fast(batchSize: 4)),
                    Self.worker(database, mailgun, configuration: .fast(batchSize: 4)),
                ]

                // Done when every row is recorded as sent (Mailgun's answer alone comes a moment earlier).
                let allSent = try await whileRunning(workers) {
                    try await eventually {
                        var unsent = 0
                        for try await count in try await database.client.query(
                            "SELECT count(*) FROM mail_outbox WHERE state <> 'sent'",
                            logger: .quiet
                        ).decode(Int.self) {
                            unsent = count
                        }
                        return unsent == 0
                    }
                }

                #expect(allSent)
                let accepted = await mailgun.acceptedRequests().compactMap { $0.form?.to }
                #expect(accepted.count == recipients.count)
                #expect(Set(accepted) == Set(recipients))
                for try await state in try await database.client.query(
                    "SELECT state::text FROM mail_outbox",
                    logger: .quiet
                ).decode(String.self) {
                    #expect(state == "sent")
                }
            }
        }
    }

    /// A worker whose sender is what `settings` configure (the log transport here), logging to `log`.
    static func logWorker(_ database: OutboxDatabase, settings: [String: String], log: LogRecorder) throws
        -> MailDeliveryWorker
    {
        let configuration = try MailConfiguration(settings: .dictionary(settings))
        return MailDeliveryWorker(
            queue: database.outbox,
            sender: configuration.makeSender(logger: log.logger),
            from: configuration.from,
            configuration: .fast(),
            metrics: MailMetrics(factory: RecordingMetrics()),
            logger: .quiet
        )
    }

    @Test("in development without an API key the log sender writes the mail and its code to the log and marks it sent")
    func logSender() async throws {
        try await OutboxDatabase.with { database in
            let log = LogRecorder()
            let worker = try Self.logWorker(database, settings: ["ALPHA_ENV": "development"], log: log)
            let mail = try await database.enqueue(
                .activationCode, to: "dev@example.org", username: "dev", code: "906117")

            #expect(try await worker.deliverDue() == 1)

            #expect(try await database.state(mail.id) == "sent")
            let line = try #require(log.lines.first { $0.message == LogMailSender.logMessage })
            #expect(line.metadata["mail.code"] == "906117")
            #expect(line.metadata["mail.to"] == "dev@example.org")
            #expect(line.metadata["mail.id"] == mail.id.uuidString.lowercased())
            #expect(line.metadata["mail.text"]?.contains("Hallo dev,") == true)
        }
    }

    @Test("outside development MAIL_TRANSPORT=log never writes the code or the text to the log")
    func logSenderOutsideDevelopment() async throws {
        try await OutboxDatabase.with { database in
            let log = LogRecorder()
            let worker = try Self.logWorker(database, settings: ["MAIL_TRANSPORT": "log"], log: log)
            let mail = try await database.enqueue(
                .passwordResetCode, to: "ops@example.org", username: "ops", code: "731904")

            #expect(try await worker.deliverDue() == 1)

            #expect(try await database.state(mail.id) == "sent")
            let line = try #require(log.lines.first { $0.message == LogMailSender.logMessage })
            #expect(line.metadata["mail.id"] == mail.id.uuidString.lowercased())
            #expect(line.metadata["mail.code"] == nil && line.metadata["mail.text"] == nil)
            #expect(line.metadata["mail.to"] == nil)
            #expect(
                !log.lines.contains { line in
                    line.message.contains("731904") || line.metadata.values.contains { $0.contains("731904") }
                })
        }
    }

    @Test("a code mail stored without a valid code fails at once instead of sending a useless mail")
    func unrenderableMail() async throws {
        try await OutboxDatabase.with { database in
            try await withFakeMailgun { mailgun in
                let worker = Self.worker(database, mailgun)
                let mail = try await database.enqueue(.activationCode, code: "")

                #expect(try await worker.deliverDue() == 1)

                let row = try #require(try await database.row(mail.id))
                #expect(row.state == "failed")
                #expect(row.lastError == "cannot render: a activation_code mail needs a 6-digit code")
                #expect(await mailgun.requests().isEmpty)
            }
        }
    }

    @Test("on graceful shutdown the send in flight completes and is recorded; no new send starts")
    func gracefulShutdown() async throws {
        try await OutboxDatabase.with { database in
            try await withFakeMailgun { mailgun in
                // Long enough that the shutdown surely arrives while the first send is in flight.
                await mailgun.delayAnswers(by: .seconds(2))
                let first = try await database.enqueue(to: "first@example.org")
                let second = try await database.enqueue(to: "second@example.org")
                let worker = Self.worker(database, mailgun, configuration: .fast(batchSize: 1))
                let group = ServiceGroup(
                    configuration: ServiceGroupConfiguration(services: [worker], logger: .quiet)
                )

                try await withThrowingTaskGroup(of: Void.self) { tasks in
                    tasks.addTask { try await group.run() }
                    #expect(try await eventually { await mailgun.arrivals() == 1 })
                    await group.triggerGracefulShutdown()
                    try await tasks.waitForAll()
                }

                #expect(try await database.state(first.id) == "sent")
                let untouched = try #require(try await database.row(second.id))
                #expect(untouched.state == "queued")
                #expect(untouched.attempts == 0)
                #expect(await mailgun.arrivals() == 1)
            }
        }
    }
}
