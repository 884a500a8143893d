import Synchronization

/// The dependencies (nearly) every RPC of a process needs — its database — as the gRPC server sees them:
/// each one's ``AvailabilityGate`` and ``ErrorTranslator``, registered together by the kit module that
/// adds the dependency (`addPostgres` in AlphaPostgres).
///
/// One instance is shared by everything in a process (``ProcessAssembly/dependencies``); the server's
/// interceptors read it on every RPC, so it does not matter whether the server or the dependency was
/// added first.
///
/// ```swift
/// let dependencies = Dependencies()
/// dependencies.register(gate: availability.gate, translator: availability.translator)
/// ```
public final class Dependencies: Sendable {
    private struct Registered {
        var gates: [AvailabilityGate] = []
        var translators: [ErrorTranslator] = []
    }

    private let registered = Mutex(Registered())

    /// An empty registry.
    public init() {}

    /// Adds a dependency: its gate (closed while it cannot serve) and the translator of its library's errors.
    public func register(gate: AvailabilityGate, translator: ErrorTranslator) {
        registered.withLock {
            $0.gates.append(gate)
            $0.translators.append(translator)
        }
    }

    /// The gates registered so far, in order.
    public var gates: [AvailabilityGate] { registered.withLock { $0.gates } }

    /// The translators registered so far, in order.
    public var translators: [ErrorTranslator] { registered.withLock { $0.translators } }

    /// The first translation of `error` any registered translator knows, or `nil`.
    public func translate(_ error: any Error) -> ServiceError? {
        for translator in translators {
            if let translated = translator.translate(error) { return translated }
        }
        return nil
    }
}
