import AlphaCore
import AlphaOutbox
import AlphaTesting
import Foundation
import PostgresNIO
import Synchronization
import Testing

/// The kit's transactional outbox against a real PostgreSQL: one fresh database for the suite, one schema
/// per test, relays run in a `ServiceGroup` as a process runs them. Serialized: the tests watch relays
/// poll and back off, which a machine busy with the other tests' relays would only blur.
@Suite("Transactional outbox against PostgreSQL", .serialized, .timeLimit(.minutes(2)))
struct OutboxRelayTests {
    @Test("a message is delivered after its transaction commits, never before, with its id, topic and payload")
    func deliveredAfterCommit() async throws {
        let fixture = OutboxFixture()
        let receiver = RecordingReceiver()
        try await fixture.withClient { client in
            try await fixture.running([fixture.relay(client, topics: [receiver.topic()])]) {
                let (outbox, logger) = (fixture.outbox, fixture.logger)
                let id = try await client.withTransaction(logger: logger) { connection in
                    let id = try await outbox.enqueue(
                        topic: "greetings", payload: Array("hello".utf8), on: connection, logger: logger)
                    // The relay polls every 200 ms: it would have found a visible message by now.
                    try await Task.sleep(for: .milliseconds(700))
                    #expect(receiver.deliveries.isEmpty)
                    return id
                }
                try await eventually("the message is delivered") { receiver.deliveries.count == 1 }
                let message = try #require(receiver.deliveries.first?.message)
                #expect(message.id == id)
                #expect(message.topic == "greetings")
                #expect(String(decoding: message.payload, as: UTF8.self) == "hello")
                #expect(message.attempt == 1)
                try await eventually("the delivered message is deleted") { try await fixture.rows(client).isEmpty }
            }
        }
        #expect(fixture.counter("outbox_enqueued_total") == 1)
        #expect(fixture.counter("outbox_delivered_total") == 1)
        #expect(fixture.counter("outbox_retried_total") == 0)
    }

    @Test("a message whose transaction rolls back is never delivered")
    func rolledBackNeverDelivered() async throws {
        struct RolledBack: Error {}
        let fixture = OutboxFixture()
        let receiver = RecordingReceiver()
        try await fixture.withClient { client in
            try await fixture.running([fixture.relay(client, topics: [receiver.topic()])]) {
                let (outbox, logger) = (fixture.outbox, fixture.logger)
                let rolledBackID = Mutex<UUID?>(nil)
                await #expect(throws: (any Error).self) {
                    try await client.withTransaction(logger: logger) { connection in
                        let id = try await outbox.enqueue(
                            topic: "greetings", payload: Array("never".utf8), on: connection, logger: logger)
                        rolledBackID.withLock { $0 = id }
                        throw RolledBack()
                    }
                }
                let committed = try await fixture.enqueueCommitted("after", on: client)
                try await eventually("the committed message is delivered") { receiver.deliveries.count == 1 }
                // A few more polls: the rolled-back message must not show up late either.
                try await Task.sleep(for: .milliseconds(600))
                #expect(receiver.deliveries.map(\.message.id) == [committed])
                #expect(rolledBackID.withLock { $0 } != nil)
                #expect(try await fixture.rows(client).isEmpty)
            }
        }
    }

    @Test("a failing receiver is retried with growing backoff, then the message is delivered once")
    func retriedWithBackoff() async throws {
        let fixture = OutboxFixture()
        let receiver = RecordingReceiver { message in
            if message.attempt < 3 { throw ReceiverDown() }
        }
        try await fixture.withClient { client in
            try await fixture.running([fixture.relay(client, topics: [receiver.topic()])]) {
                let id = try await fixture.enqueueCommitted("persist", on: client)
                try await eventually("the third attempt is made") { receiver.attempts(of: id).count == 3 }
                try await eventually("the delivered message is deleted") { try await fixture.rows(client).isEmpty }
                let attempts = receiver.attempts(of: id)
                #expect(attempts.map(\.message.attempt) == [1, 2, 3])
                // Backoff 100 ms doubling, jitter takes at most a quarter away: ≥ 75 ms, then ≥ 150 ms.
                #expect(attempts[1].at - attempts[0].at >= .milliseconds(75))
                #expect(attempts[2].at - attempts[1].at >= .milliseconds(150))
                try await Task.sleep(for: .milliseconds(500))
                #expect(receiver.attempts(of: id).count == 3)
            }
        }
        #expect(fixture.counter("outbox_retried_total") == 2)
        #expect(fixture.counter("outbox_delivered_total") == 1)
        #expect(fixture.counter("outbox_failed_total") == 0)
    }

    @Test("while the receiver fails the message waits with its last error; it is kept, not lost")
    func waitsWithLastError() async throws {
        let fixture = OutboxFixture()
        let receiver = RecordingReceiver { _ in throw ReceiverDown() }
        try await fixture.withClient { client in
            try await fixture.running([fixture.relay(client, topics: [receiver.topic()])]) {
                let id = try await fixture.enqueueCommitted("patience", on: client)
                try await eventually("two attempts failed") { receiver.attempts(of: id).count >= 2 }
                let row = try #require(try await fixture.rows(client)[id])
                #expect(!row.failed)
                #expect(row.lastError == "receiver unavailable")
            }
        }
    }

    @Test("a permanent failure marks the message failed with its reason and it is never retried")
    func permanentFailure() async throws {
        let fixture = OutboxFixture()
        let receiver = RecordingReceiver { _ in throw OutboxPermanentFailure("no such recipient") }
        try await fixture.withClient { client in
            let relay = fixture.relay(client, topics: [receiver.topic()]) {
                $0.statisticsInterval = .milliseconds(100)
            }
            try await fixture.running([relay]) {
                let id = try await fixture.enqueueCommitted("undeliverable", on: client)
                try await eventually("the message is marked failed") {
                    try await fixture.rows(client)[id]?.failed == true
                }
                #expect(try await fixture.rows(client)[id]?.lastError == "no such recipient")
                try await eventually("the dead gauge shows it") {
                    (try? fixture.metrics.expectGauge("outbox_dead", [("topic", "greetings")]).lastValue) == 1
                }
                // Longer than the longest backoff and several polls.
                try await Task.sleep(for: .milliseconds(700))
                #expect(receiver.attempts(of: id).count == 1)
            }
        }
        #expect(fixture.counter("outbox_failed_total") == 1)
        #expect(fixture.counter("outbox_retried_total") == 0)
        #expect(fixture.counter("outbox_delivered_total") == 0)
    }

    @Test("with a limit on attempts, the last failed attempt marks the message failed")
    func outOfAttempts() async throws {
        let fixture = OutboxFixture()
        let receiver = RecordingReceiver { _ in throw ReceiverDown() }
        try await fixture.withClient { client in
            let relay = fixture.relay(client, topics: [receiver.topic()]) { $0.maxAttempts = 2 }
            try await fixture.running([relay]) {
                let id = try await fixture.enqueueCommitted("twice", on: client)
                try await eventually("the message is marked failed") {
                    try await fixture.rows(client)[id]?.failed == true
                }
                #expect(
                    try await fixture.rows(client)[id]?.lastError
                        == "gave up after 2 attempts; last: receiver unavailable")
                try await Task.sleep(for: .milliseconds(600))
                #expect(receiver.attempts(of: id).count == 2)
            }
        }
    }

    @Test("two relays on one outbox deliver every message, none twice and none concurrently")
    func twoRelaysNeverDeliverTwice() async throws {
        let fixture = OutboxFixture()
        let receiver = RecordingReceiver { _ in try await Task.sleep(for: .milliseconds(.random(in: 1...15))) }
        try await fixture.withClient { client in
            var ids: [UUID] = []
            for index in 0..<40 { ids.append(try await fixture.enqueueCommitted("early \(index)", on: client)) }
            let relays = [
                fixture.relay(client, topics: [receiver.topic()]), fixture.relay(client, topics: [receiver.topic()]),
            ]
            let more = try await withThrowingTaskGroup(of: [UUID].self) { tasks in
                tasks.addTask {
                    try await fixture.running(relays) {
                        try await eventually("all 80 messages are delivered") {
                            Set(receiver.deliveries.map(\.message.id)).count == 80
                        }
                        try await eventually("the outbox is empty") { try await fixture.rows(client).isEmpty }
                    }
                    return []
                }
                tasks.addTask {
                    var more: [UUID] = []
                    for index in 0..<40 { more.append(try await fixture.enqueueCommitted("late \(index)", on: client)) }
                    return more
                }
                return try await tasks.reduce(into: []) { $0 += $1 }
            }
            let delivered = receiver.deliveries.map(\.message.id)
            #expect(delivered.count == 80)
            #expect(Set(delivered) == Set(ids + more))
            #expect(receiver.overlaps == 0)
        }
        #expect(fixture.counter("outbox_delivered_total") == 80)
    }

    @Test("graceful shutdown finishes and records the deliveries in flight, then the relay returns")
    func shutdownDrains() async throws {
        let fixture = OutboxFixture()
        let finished = Mutex(0)
        let receiver = RecordingReceiver { _ in
            try await Task.sleep(for: .milliseconds(500))
            finished.withLock { $0 += 1 }
        }
        try await fixture.withClient { client in
            for index in 0..<3 { try await fixture.enqueueCommitted("in flight \(index)", on: client) }
            // `running` shuts the relay down as soon as the three deliveries have started.
            try await fixture.running([fixture.relay(client, topics: [receiver.topic()])]) {
                try await eventually("three deliveries are in flight") { receiver.deliveries.count == 3 }
                #expect(finished.withLock { $0 } == 0)
            }
            #expect(finished.withLock { $0 } == 3)
            #expect(try await fixture.rows(client).isEmpty)
            // Stopped: a message committed now waits for the next relay, unclaimed.
            let waiting = try await fixture.enqueueCommitted("for the next start", on: client)
            try await Task.sleep(for: .milliseconds(400))
            #expect(try await fixture.rows(client)[waiting]?.attempts == 0)
        }
    }

    @Test("a commit wakes the relay at once, long before its next poll")
    func commitWakesRelay() async throws {
        let fixture = OutboxFixture()
        let receiver = RecordingReceiver()
        try await fixture.withClient { client in
            let relay = fixture.relay(client, topics: [receiver.topic()]) { $0.pollInterval = .seconds(300) }
            try await fixture.running([relay]) {
                // Let the relay make its first pass and start listening.
                try await Task.sleep(for: .milliseconds(500))
                try await fixture.enqueueCommitted("wake up", on: client)
                try await eventually("the message is delivered without waiting for the poll", timeout: .seconds(30)) {
                    receiver.deliveries.count == 1
                }
            }
        }
    }

    @Test("without LISTEN the poll still delivers")
    func pollingFallback() async throws {
        let fixture = OutboxFixture()
        let receiver = RecordingReceiver()
        try await fixture.withClient { client in
            let relay = fixture.relay(client, topics: [receiver.topic()]) { $0.listensForCommits = false }
            try await fixture.running([relay]) {
                try await Task.sleep(for: .milliseconds(300))
                try await fixture.enqueueCommitted("polled", on: client)
                try await eventually("the message is delivered") { receiver.deliveries.count == 1 }
            }
        }
    }

    @Test("a delivery that outlasts its timeout is abandoned and retried")
    func deliveryTimeout() async throws {
        let fixture = OutboxFixture()
        let receiver = RecordingReceiver { message in
            if message.attempt == 1 { try await Task.sleep(for: .seconds(60)) }
        }
        try await fixture.withClient { client in
            let relay = fixture.relay(client, topics: [receiver.topic()]) { $0.deliveryTimeout = .milliseconds(300) }
            try await fixture.running([relay]) {
                let id = try await fixture.enqueueCommitted("slow", on: client)
                try await eventually("the second attempt delivers it") { try await fixture.rows(client).isEmpty }
                #expect(receiver.attempts(of: id).map(\.message.attempt) == [1, 2])
            }
        }
    }

    @Test("a relay claims only its own topics; another topic's messages wait for their relay")
    func topicsAreSeparate() async throws {
        let fixture = OutboxFixture()
        let greetings = RecordingReceiver()
        try await fixture.withClient { client in
            try await fixture.running([fixture.relay(client, topics: [greetings.topic()])]) {
                let other = try await fixture.enqueueCommitted("elsewhere", topic: "farewells", on: client)
                let mine = try await fixture.enqueueCommitted("here", on: client)
                try await eventually("the greeting is delivered") { greetings.deliveries.count == 1 }
                try await Task.sleep(for: .milliseconds(400))
                #expect(greetings.deliveries.map(\.message.id) == [mine])
                #expect(try await fixture.rows(client)[other]?.attempts == 0)
            }
        }
    }

    @Test("enqueueing one caller-supplied id twice stores one message")
    func idempotentEnqueue() async throws {
        let fixture = OutboxFixture()
        try await fixture.withClient { client in
            let id = Outbox.newMessageID()
            let (outbox, logger) = (fixture.outbox, fixture.logger)
            for _ in 0..<2 {
                try await client.withTransaction(logger: logger) { connection in
                    try await outbox.enqueue(
                        topic: "greetings", payload: [1, 2, 3], id: id, on: connection, logger: logger)
                }
            }
            #expect(try await fixture.rows(client).keys.sorted() == [id])
        }
        #expect(fixture.counter("outbox_enqueued_total") == 1)
    }

    @Test("message ids are random version-4 UUIDs")
    func messageIDs() {
        let ids = (0..<1000).map { _ in Outbox.newMessageID() }
        #expect(Set(ids).count == 1000)
        for id in ids.prefix(20) {
            let text = id.uuidString
            #expect(Array(text)[14] == "4")
            #expect("89AB".contains(Array(text)[19]))
        }
    }
}
