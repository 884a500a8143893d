import Foundation
import Synchronization
import UserService

/// A wall clock the test moves by hand (code expiry, login windows, list order).
final class TestClock: WallClock {
    private let current: Mutex<Date>

    init(_ start: Date = Date()) {
        current = Mutex(start)
    }

    func now() -> Date {
        current.withLock { $0 }
    }

    func advance(by seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}

/// A value shared between a test and a service it runs (an outage switch, a delay).
final class Shared<Value: Sendable>: Sendable {
    private let state: Mutex<Value>

    init(_ value: Value) {
        state = Mutex(value)
    }

    var value: Value { state.withLock { $0 } }

    func set(_ value: Value) {
        state.withLock { $0 = value }
    }

    func update(_ change: (inout Value) -> Void) {
        state.withLock { change(&$0) }
    }
}
