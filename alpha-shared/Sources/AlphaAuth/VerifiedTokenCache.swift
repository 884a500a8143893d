import Crypto
import Synchronization

/// Claims of tokens whose signature was already verified, keyed by the SHA-256 of the token.
///
/// Bounded: at most `capacity` entries; when full, the CLOCK algorithm (an LRU approximation)
/// evicts an entry not read since the hand last passed it. The cache holds only what a full
/// verification produced, so a hit can answer only for the exact same token bytes; expiry is
/// checked again on every hit by the caller (``CachingTokenVerifier``). It is per process and
/// per key: nothing is shared between replicas.
public final class VerifiedTokenCache: Sendable {
    private struct Slot {
        var key: SHA256Digest
        var claims: UserTokenClaims
        var referenced: Bool
    }

    private struct State {
        var index: [SHA256Digest: Int] = [:]
        var slots: [Slot] = []
        var hand = 0
    }

    /// The most entries held at once.
    public let capacity: Int
    private let state = Mutex(State())

    /// A cache of at most `capacity` tokens (default 10,000, about 3 MiB).
    public init(capacity: Int = 10_000) {
        self.capacity = max(capacity, 1)
    }

    /// The number of cached tokens.
    public var count: Int { state.withLock { $0.slots.count } }

    /// The key of `token`.
    public static func key(_ token: String) -> SHA256Digest {
        SHA256.hash(data: Array(token.utf8))
    }

    /// The claims stored for `key`, marking the entry as recently used.
    public func claims(for key: SHA256Digest) -> UserTokenClaims? {
        state.withLock { state in
            guard let slot = state.index[key] else { return nil }
            state.slots[slot].referenced = true
            return state.slots[slot].claims
        }
    }

    /// Stores `claims` for `key`, evicting one entry when full.
    public func store(_ claims: UserTokenClaims, for key: SHA256Digest) {
        state.withLock { state in
            if let slot = state.index[key] {
                state.slots[slot].claims = claims
                state.slots[slot].referenced = true
                return
            }
            let entry = Slot(key: key, claims: claims, referenced: false)
            if state.slots.count < capacity {
                state.index[key] = state.slots.count
                state.slots.append(entry)
                return
            }
            // CLOCK: give every referenced entry a second chance, evict the first one that has none.
            while state.slots[state.hand].referenced {
                state.slots[state.hand].referenced = false
                state.hand = (state.hand + 1) % state.slots.count
            }
            state.index.removeValue(forKey: state.slots[state.hand].key)
            state.slots[state.hand] = entry
            state.index[key] = state.hand
            state.hand = (state.hand + 1) % state.slots.count
        }
    }

    /// Forgets `key`, e.g. once its token has expired.
    public func remove(_ key: SHA256Digest) {
        state.withLock { state in
            guard let slot = state.index.removeValue(forKey: key) else { return }
            let last = state.slots.count - 1
            if slot != last {
                state.slots[slot] = state.slots[last]
                state.index[state.slots[slot].key] = slot
            }
            state.slots.removeLast()
            if state.hand >= state.slots.count { state.hand = 0 }
        }
    }
}
