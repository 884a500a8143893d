import Foundation
import NotificationService
import Testing

@Suite("Postgres mail outbox")
struct PostgresMailOutboxTests {
    @Test("enqueue is idempotent per mail id: a repeat stores nothing and changes nothing")
    func idempotentEnqueue() async throws {
        try await OutboxDatabase.with { database async throws in
            let mail = OutgoingMail(
                id: UUID(),
                kind: "activation_code",
                toAddress: "a@example.org",
                username: "a",
                code: "111111"
            )
            #expect(try await database.outbox.enqueue(mail))
            var repeated = mail
            repeated.code = "222222"
            #expect(try await database.outbox.enqueue(repeated) == false)

            #expect(try await database.count() == 1)
            #expect(try await database.row(mail.id)?.code == "111111")
        }
    }

    @Test("a claim takes due mails oldest first, counts the attempt and hides them for the lease")
    func claim() async throws {
        try await OutboxDatabase.with { database in
            let older = try await database.enqueue(to: "older@example.org")
            let newer = try await database.enqueue(to: "newer@example.org")
            let later = try await database.enqueue(to: "later@example.org")
            try await database.execute(
                "UPDATE mail_outbox SET next_attempt_at = now() + interval '1 hour' WHERE mail_id = \(later.id)"
            )

            let first = try await database.outbox.claimDue(limit: 1, kinds: MailKind.allCases, lease: .seconds(60))
            #expect(first.map(\.id) == [older.id])
            #expect(first.first?.attempt == 1)
            #expect(first.first?.toAddress == "older@example.org")
            let rest = try await database.outbox.claimDue(limit: 10, kinds: MailKind.allCases, lease: .seconds(60))
            #expect(rest.map(\.id) == [newer.id])
            #expect(
                try await database.outbox.claimDue(limit: 10, kinds: MailKind.allCases, lease: .seconds(60)).isEmpty)
        }
    }

    @Test("only kinds the worker can render are claimed")
    func claimFiltersKinds() async throws {
        try await OutboxDatabase.with { database in
            let welcome = try await database.enqueue(.welcome, code: "")
            try await database.outbox.enqueue(
                OutgoingMail(
                    id: UUID(), kind: "digest_from_the_future", toAddress: "f@example.org", username: "f", code: "")
            )

            let claimed = try await database.outbox.claimDue(limit: 10, kinds: MailKind.allCases, lease: .seconds(60))

            #expect(claimed.map(\.id) == [welcome.id])
            #expect(claimed.first?.kind == .welcome)
        }
    }

    @Test("a mail whose worker died is claimed again after the lease, and the stale claim can no longer change it")
    func leaseAndFencing() async throws {
        try await OutboxDatabase.with { database in
            let mail = try await database.enqueue()
            let stale = try #require(
                try await database.outbox.claimDue(limit: 1, kinds: MailKind.allCases, lease: .milliseconds(1)).first
            )
            try await Task.sleep(for: .milliseconds(20))
            let current = try #require(
                try await database.outbox.claimDue(limit: 1, kinds: MailKind.allCases, lease: .seconds(60)).first
            )
            #expect(stale.attempt == 1)
            #expect(current.attempt == 2)

            // The stale claim's late failure report is ignored ...
            #expect(try await database.outbox.markFailed(mail.id, attempt: stale.attempt, error: "stale") == false)
            #expect(
                try await database.outbox.reschedule(mail.id, attempt: stale.attempt, after: .zero, error: "stale")
                    == false
            )
            #expect(try await database.row(mail.id)?.lastError == nil)
            // ... while the current claim's is recorded.
            #expect(
                try await database.outbox.reschedule(mail.id, attempt: current.attempt, after: .seconds(5), error: "x")
            )
            #expect(try await database.row(mail.id)?.lastError == "x")
        }
    }

    @Test("a sent mail stays sent: it is never claimed, failed or rescheduled again")
    func sentIsFinal() async throws {
        try await OutboxDatabase.with { database in
            let mail = try await database.enqueue()
            let claim = try #require(
                try await database.outbox.claimDue(limit: 1, kinds: MailKind.allCases, lease: .milliseconds(1)).first
            )
            #expect(try await database.outbox.markSent(mail.id))
            #expect(try await database.outbox.markSent(mail.id) == false)
            #expect(try await database.outbox.markFailed(mail.id, attempt: claim.attempt, error: "late") == false)
            try await Task.sleep(for: .milliseconds(20))
            #expect(
                try await database.outbox.claimDue(limit: 10, kinds: MailKind.allCases, lease: .seconds(60)).isEmpty)
            #expect(try await database.state(mail.id) == "sent")
        }
    }

    @Test("statistics count waiting mails and the age of the oldest")
    func statistics() async throws {
        try await OutboxDatabase.with { database in
            #expect(try await database.outbox.statistics() == DeliveryQueueStatistics(queued: 0, oldestQueuedAge: nil))
            let old = try await database.enqueue()
            try await database.enqueue()
            let sent = try await database.enqueue()
            #expect(try await database.outbox.markSent(sent.id))
            try await database.execute(
                "UPDATE mail_outbox SET created_at = now() - interval '2 minutes' WHERE mail_id = \(old.id)"
            )

            let statistics = try await database.outbox.statistics()

            #expect(statistics.queued == 2)
            let age = try #require(statistics.oldestQueuedAge)
            #expect(age >= .seconds(119) && age < .seconds(130))
        }
    }

    @Test("purging deletes old sent and failed mails, never queued ones")
    func purge() async throws {
        try await OutboxDatabase.with { database in
            let oldSent = try await database.enqueue()
            let oldFailed = try await database.enqueue()
            let oldQueued = try await database.enqueue()
            let recentSent = try await database.enqueue()
            #expect(try await database.outbox.markSent(oldSent.id))
            #expect(try await database.outbox.markSent(recentSent.id))
            try await database.execute("UPDATE mail_outbox SET state = 'failed' WHERE mail_id = \(oldFailed.id)")
            try await database.execute(
                """
                UPDATE mail_outbox SET created_at = now() - interval '31 days'
                WHERE mail_id IN (\(oldSent.id), \(oldFailed.id), \(oldQueued.id))
                """
            )

            #expect(try await database.outbox.purgeFinished(olderThan: .seconds(30 * 86_400)) == 2)

            #expect(try await database.row(oldSent.id) == nil)
            #expect(try await database.row(oldFailed.id) == nil)
            #expect(try await database.state(oldQueued.id) == "queued")
            #expect(try await database.state(recentSent.id) == "sent")
        }
    }
}
