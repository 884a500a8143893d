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
    func hitSkipsSignature() throws {
        let cache = VerifiedTokenCache()
        let token = try issuer.issue(for: "alice", kind: .access, now: now)
        let first = try CachingTokenVerifier(verifier, cache: cache).verify(token, kind: .access, now: now)

        // A verifier with another key would refuse the token: a success proves the cache answered.
        let otherKey = TokenVerifier(publicKey: Curve25519.Signing.PrivateKey().publicKey, policy: .testing)
        #expect(throws: TokenError.badSignature) { try otherKey.verify(token, kind: .access, now: now) }
        let second = try CachingTokenVerifier(otherKey, cache: cache).verify(token, kind: .access, now: now)
        #expect(second == first)
        #expect(second.sub == "alice")
        #expect(cache.count == 1)
    }

    @Test("a cached token still expires, with no leeway at the expiry second, and leaves the cache")
    func expiryFromCachedClaims() throws {
        let caching = CachingTokenVerifier(verifier)
        let token = try issuer.issue(for: "alice", kind: .access, now: now)
        let expiry = now.addingTimeInterval(TokenPolicy.testing.accessLifetime.inSeconds)
        _ = try caching.verify(token, kind: .access, now: now)
        _ = try caching.verify(token, kind: .access, now: expiry.addingTimeInterval(-1))
        #expect(caching.cache.count == 1)
        #expect(throws: TokenError.expired) { try caching.verify(token, kind: .access, now: expiry) }
        #expect(caching.cache.count == 0)
        #expect(throws: TokenError.expired) { try caching.verify(token, kind: .access, now: expiry) }
    }

    @Test("a cached access token is still not a refresh token")
    func kindFromCachedClaims() throws {
        let caching = CachingTokenVerifier(verifier)
        let pair = try issuer.issuePair(
            for: "alice", session: RefreshSession(tokenID: UUID().uuidString.lowercased(), tokenVersion: 0), now: now)
        _ = try caching.verify(pair.accessToken, kind: .access, now: now)
        _ = try caching.verify(pair.refreshToken, kind: .refresh, now: now)
        #expect(throws: TokenError.wrongKind) { try caching.verify(pair.accessToken, kind: .refresh, now: now) }
        #expect(throws: TokenError.wrongKind) { try caching.verify(pair.refreshToken, kind: .access, now: now) }
    }

    @Test("failures are not cached: a forged token is refused every time")
    func failuresNotCached() throws {
        let caching = CachingTokenVerifier(verifier)
        let token = try issuer.issue(for: "alice", kind: .access, now: now)
        var parts = token.split(separator: ".").map(String.init)
        parts[2] = String(parts[2].reversed())
        let forged = parts.joined(separator: ".")
        #expect(throws: TokenError.self) { try caching.verify(forged, kind: .access, now: now) }
        #expect(throws: TokenError.self) { try caching.verify(forged, kind: .access, now: now) }
        #expect(caching.cache.count == 0)
        // One changed byte is another token: the valid one is not answered for it.
        _ = try caching.verify(token, kind: .access, now: now)
        #expect(throws: TokenError.self) { try caching.verify(forged, kind: .access, now: now) }
    }

    @Test("the cache is bounded, and an entry read since the hand last passed survives an eviction")
    func boundedClock() throws {
        let cache = VerifiedTokenCache(capacity: 3)
        let caching = CachingTokenVerifier(verifier, cache: cache)
        let tokens = try ["a", "b", "c", "d", "e"].map { try issuer.issue(for: $0, kind: .access, now: now) }
        for token in tokens[0..<3] { _ = try caching.verify(token, kind: .access, now: now) }
        _ = try caching.verify(tokens[0], kind: .access, now: now)  // "a" is read again
        _ = try caching.verify(tokens[3], kind: .access, now: now)  // full: evicts "b", not "a"
        #expect(cache.count == 3)
        #expect(cache.claims(for: VerifiedTokenCache.key(tokens[0]))?.sub == "a")
        #expect(cache.claims(for: VerifiedTokenCache.key(tokens[1])) == nil)
        #expect(cache.claims(for: VerifiedTokenCache.key(tokens[3]))?.sub == "d")
        _ = try caching.verify(tokens[4], kind: .access, now: now)
        #expect(cache.count == 3)
    }
}
