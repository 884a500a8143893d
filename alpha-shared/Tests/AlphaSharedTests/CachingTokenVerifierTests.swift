import AlphaAuth
import AlphaCore
import AlphaTesting
import Crypto
import Foundation
import Testing

@Suite("Verified tokens are cached per process until they expire")
struct CachingTokenVerifierTests {
    let key = Curve25519.Signing.PrivateKey()
    var issuer: TokenIssuer { TokenIssuer(privateKey: key, policy: .testing) }
    var verifier: TokenVerifier { TokenVerifier(publicKey: key.publicKey, policy: .testing) }
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test("a token seen before is answered from the cache: its signature is not checked again")
    func hitSkipsSignature() async throws {
        let cache = VerifiedTokenCache()
        let token = try await issuer.issue(for: "alice", kind: .access, now: now)
        let first = try await CachingTokenVerifier(verifier, cache: cache).verify(token, kind: .access, now: now)

        // A verifier with another key would refuse the token: a success proves the cache answered.
        let otherKey = TokenVerifier(publicKey: Curve25519.Signing.PrivateKey().publicKey, policy: .testing)
        await #expect(throws: TokenError.badSignature) { try await otherKey.verify(token, kind: .access, now: now) }
        let second = try await CachingTokenVerifier(otherKey, cache: cache).verify(token, kind: .access, now: now)
        #expect(second == first)
        #expect(second.sub == "alice")
        #expect(cache.count == 1)
    }

    @Test("a cached token still expires, with no leeway at the expiry second, and leaves the cache")
    func expiryFromCachedClaims() async throws {
        let caching = CachingTokenVerifier(verifier)
        let token = try await issuer.issue(for: "alice", kind: .access, now: now)
        let expiry = now.addingTimeInterval(TokenPolicy.testing.accessLifetime.inSeconds)
        _ = try await caching.verify(token, kind: .access, now: now)
        _ = try await caching.verify(token, kind: .access, now: expiry.addingTimeInterval(-1))
        #expect(caching.cache.count == 1)
        await #expect(throws: TokenError.expired) { try await caching.verify(token, kind: .access, now: expiry) }
        #expect(caching.cache.count == 0)
        await #expect(throws: TokenError.expired) { try await caching.verify(token, kind: .access, now: expiry) }
    }

    @Test("a cached access token is still not a refresh token")
    func kindFromCachedClaims() async throws {
        let caching = CachingTokenVerifier(verifier)
        let pair = try await issuer.issuePair(
            for: "alice", session: RefreshSession(tokenID: UUID().uuidString.lowercased(), tokenVersion: 0), now: now)
        _ = try await caching.verify(pair.accessToken, kind: .access, now: now)
        _ = try await caching.verify(pair.refreshToken, kind: .refresh, now: now)
        await #expect(throws: TokenError.wrongKind) {
            try await caching.verify(pair.accessToken, kind: .refresh, now: now)
        }
        await #expect(throws: TokenError.wrongKind) {
            try await caching.verify(pair.refreshToken, kind: .access, now: now)
        }
    }

    @Test("failures are not cached: a forged token is refused every time")
    func failuresNotCached() async throws {
        let caching = CachingTokenVerifier(verifier)
        let token = try await issuer.issue(for: "alice", kind: .access, now: now)
        var parts = token.split(separator: ".").map(String.init)
        parts[2] = String(parts[2].reversed())
        let forged = parts.joined(separator: ".")
        await #expect(throws: TokenError.self) { try await caching.verify(forged, kind: .access, now: now) }
        await #expect(throws: TokenError.self) { try await caching.verify(forged, kind: .access, now: now) }
        #expect(caching.cache.count == 0)
        // One changed byte is another token: the valid one is not answered for it.
        _ = try await caching.verify(token, kind: .access, now: now)
        await #expect(throws: TokenError.self) { try await caching.verify(forged, kind: .access, now: now) }
    }

    @Test("the cache is bounded, and an entry read since the hand last passed survives an eviction")
    func boundedClock() async throws {
        let cache = VerifiedTokenCache(capacity: 3)
        let caching = CachingTokenVerifier(verifier, cache: cache)
        var tokens: [String] = []
        for username in ["a", "b", "c", "d", "e"] {
            tokens.append(try await issuer.issue(for: username, kind: .access, now: now))
        }
        for token in tokens[0..<3] { _ = try await caching.verify(token, kind: .access, now: now) }
        _ = try await caching.verify(tokens[0], kind: .access, now: now)  // "a" is read again
        _ = try await caching.verify(tokens[3], kind: .access, now: now)  // full: evicts "b", not "a"
        #expect(cache.count == 3)
        #expect(cache.claims(for: VerifiedTokenCache.key(tokens[0]))?.sub == "a")
        #expect(cache.claims(for: VerifiedTokenCache.key(tokens[1])) == nil)
        #expect(cache.claims(for: VerifiedTokenCache.key(tokens[3]))?.sub == "d")
        _ = try await caching.verify(tokens[4], kind: .access, now: now)
        #expect(cache.count == 3)
    }
}
