import AlphaAuth
import Crypto
import Foundation
import Testing

@Suite("User tokens: issuing and verification")
struct TokenTests {
    /// Alpha's installation values (set as TOKEN_* settings by its deployment), to test with realistic ones.
    static let policy = TokenPolicy(
        issuer: "alpha-api-gateway", audience: "server-alpha", accessLifetime: .seconds(24 * 3600),
        refreshLifetime: .seconds(7 * 24 * 3600))
    let key = Curve25519.Signing.PrivateKey()
    var issuer: TokenIssuer { TokenIssuer(privateKey: key, policy: Self.policy) }
    var verifier: TokenVerifier { TokenVerifier(publicKey: key.publicKey, policy: Self.policy) }
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test("a fresh access token verifies and names its user")
    func validAccessToken() async throws {
        let token = try await issuer.issue(for: "alice", kind: .access, now: now)
        let claims = try await verifier.verify(token, kind: .access, now: now)
        #expect(claims.sub == "alice")
        #expect(claims.username == "alice")
        #expect(claims.kind == .access)
        #expect(claims.iss == "alpha-api-gateway")
        #expect(claims.aud == ["server-alpha"])
        #expect(claims.iat == 1_800_000_000)
        #expect(claims.exp == 1_800_000_000 + 24 * 3600)
    }

    @Test("a pair holds an access token valid 24 h and a refresh token valid 7 days carrying its session")
    func pair() async throws {
        let session = RefreshSession(tokenID: "5d0f6b7e-2c1a-4a53-9b1d-2f6a3c8d9e10", tokenVersion: 3)
        let pair = try await issuer.issuePair(for: "bob", session: session, now: now)
        let access = try await verifier.verify(pair.accessToken, kind: .access, now: now)
        let refresh = try await verifier.verify(pair.refreshToken, kind: .refresh, now: now)
        #expect(access.exp - access.iat == 24 * 3600)
        #expect(refresh.exp - refresh.iat == 7 * 24 * 3600)
        #expect(refresh.refresh)
        #expect(!access.refresh)
        #expect(refresh.jti == session.tokenID && refresh.ver == 3)
        #expect(access.jti != nil && access.ver == nil)
    }

    @Test("two tokens for one user in the same second differ: each has its own jti")
    func uniqueIDs() async throws {
        let first = try await issuer.issue(for: "bob", kind: .refresh, now: now)
        let second = try await issuer.issue(for: "bob", kind: .refresh, now: now)
        #expect(first != second)
        let ids = [
            try await verifier.verify(first, kind: .refresh, now: now).jti,
            try await verifier.verify(second, kind: .refresh, now: now).jti,
        ]
        #expect(ids[0] != nil && ids[0] != ids[1])
    }

    @Test("a token is a compact JWS with header EdDSA/JWT and audience encoded as an array")
    func wireForm() async throws {
        let token = try await issuer.issue(for: "alice", kind: .access, now: now)
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        try #require(parts.count == 3)
        #expect(!token.contains("="))
        let header = try JSONSerialization.jsonObject(with: Self.base64URLDecode(parts[0])) as? [String: String]
        #expect(header == ["alg": "EdDSA", "typ": "JWT"])
        let payload = try #require(
            try JSONSerialization.jsonObject(with: Self.base64URLDecode(parts[1])) as? [String: Any]
        )
        // Every token has its own id (`jti`); only refresh tokens carry a token version (`ver`).
        #expect(Set(payload.keys) == ["sub", "username", "refresh", "iss", "aud", "iat", "exp", "jti"])
        #expect(payload["aud"] as? [String] == ["server-alpha"])
        #expect(Self.base64URLDecode(parts[2]).count == 64)
    }

    @Test("an expired token is refused, with no leeway at the expiry second")
    func expired() async throws {
        let token = try await issuer.issue(for: "alice", kind: .access, now: now)
        let expiry = now.addingTimeInterval(24 * 3600)
        _ = try await verifier.verify(token, kind: .access, now: expiry.addingTimeInterval(-1))
        await #expect(throws: TokenError.expired) { try await verifier.verify(token, kind: .access, now: expiry) }
        await #expect(throws: TokenError.expired) {
            try await verifier.verify(token, kind: .access, now: expiry.addingTimeInterval(3600))
        }
    }

    @Test("a token signed by another key is refused")
    func otherKey() async throws {
        let forged = try await TokenIssuer(privateKey: Curve25519.Signing.PrivateKey(), policy: Self.policy)
            .issue(for: "alice", kind: .access)
        await #expect(throws: TokenError.badSignature) { try await verifier.verify(forged, kind: .access) }
    }

    @Test("a token whose payload was changed after signing is refused")
    func tamperedPayload() async throws {
        let token = try await issuer.issue(for: "alice", kind: .access)
        let parts = token.split(separator: ".")
        let claims = UserTokenClaims(
            sub: "mallory", refresh: false, iss: "alpha-api-gateway", aud: ["server-alpha"], iat: 0, exp: Int.max / 2
        )
        let payload = Self.base64URLEncode(try JSONEncoder().encode(claims))
        let tampered = "\(parts[0]).\(payload).\(parts[2])"
        await #expect(throws: TokenError.badSignature) { try await verifier.verify(tampered, kind: .access) }
    }

    @Test(
        "a header naming another algorithm is refused before the signature is looked at",
        arguments: [
            #"{"alg":"HS256","typ":"JWT"}"#, #"{"alg":"none","typ":"JWT"}"#, #"{"alg":"ES256"}"#,
            #"{"alg":"EdDSA","typ":"JWE"}"#,
        ]
    )
    func unsupportedAlgorithm(header: String) async throws {
        let claims = Self.claims(now: now)
        // Correctly signed with the right key: only the header is wrong.
        let signed = try await issuer.sign(claims: claims, header: header)
        await #expect(throws: TokenError.unsupportedAlgorithm) {
            try await verifier.verify(signed, kind: .access, now: now)
        }
        // The classic `none` attack: no signature at all.
        let unsigned = signed.split(separator: ".")[0...1].joined(separator: ".") + "."
        await #expect(throws: TokenError.unsupportedAlgorithm) {
            try await verifier.verify(unsigned, kind: .access, now: now)
        }
    }

    @Test(
        "garbage and tokens with missing parts are malformed",
        arguments: ["", "abc", "a.b", "a.b.c.d", "!!!.e30.sig", "e30..", "bm90IGpzb24.e30.c2ln"]
    )
    func malformed(token: String) async {
        await #expect(throws: TokenError.malformed) { try await verifier.verify(token, kind: .access) }
    }

    @Test("a correctly signed payload that is not a claims object is malformed")
    func signedGarbagePayload() async throws {
        let token = try signedByHand(header: #"{"alg":"EdDSA","typ":"JWT"}"#, payload: #"{"sub":"alice"}"#)
        await #expect(throws: TokenError.malformed) { try await verifier.verify(token, kind: .access) }
    }

    @Test(
        "a correctly signed token whose header names no algorithm, another spelling or a non-string type is refused",
        arguments: [#"{"typ":"JWT"}"#, #"{"alg":"eddsa","typ":"JWT"}"#, #"{"alg":"EdDSA","typ":5}"#, #"{"alg":null}"#]
    )
    func headerWithoutEdDSA(header: String) async throws {
        let payload = String(decoding: try JSONEncoder().encode(Self.claims(now: now)), as: UTF8.self)
        let token = try signedByHand(header: header, payload: payload)
        await #expect(throws: TokenError.unsupportedAlgorithm) {
            try await verifier.verify(token, kind: .access, now: now)
        }
    }

    /// A refresh token made by the hand-written signer this kit had before it used jwt-kit: `openssl`'s key
    /// below, header `{"alg":"EdDSA","typ":"JWT"}`, claims JSON with sorted keys.
    static let tokenIssuedBeforeJWTKit =
        "eyJhbGciOiJFZERTQSIsInR5cCI6IkpXVCJ9.eyJhdWQiOlsic2VydmVyLWFscGhhIl0sImV4cCI6MTgwMDYwNDgwMCwiaWF0IjoxODAwMDAwMDAwLCJpc3MiOiJhbHBoYS1hcGktZ2F0ZXdheSIsImp0aSI6IjVkMGY2YjdlLTJjMWEtNGE1My05YjFkLTJmNmEzYzhkOWUxMCIsInJlZnJlc2giOnRydWUsInN1YiI6ImFsaWNlIiwidXNlcm5hbWUiOiJhbGljZSIsInZlciI6M30.TxopAzD2MZvbKQjSr6f3hBFrDpHc8GTgqaaOAs92FkIGe02kW6-noHkoklZg1VXJvDRkyMlELiTBvAwLyh75DA"

    @Test("tokens issued before jwt-kit still verify, and the same claims are issued as the same bytes")
    func compatibleWithEarlierTokens() async throws {
        let issuer = try TokenIssuer(privateKeyPEM: KeyMaterialTests.opensslPrivateKey, policy: Self.policy)
        let verifier = try TokenVerifier(publicKeyPEM: KeyMaterialTests.opensslPublicKey, policy: Self.policy)
        let claims = try await verifier.verify(Self.tokenIssuedBeforeJWTKit, kind: .refresh, now: now)
        #expect(claims.sub == "alice" && claims.jti == "5d0f6b7e-2c1a-4a53-9b1d-2f6a3c8d9e10" && claims.ver == 3)
        #expect(claims.exp == 1_800_000_000 + 7 * 24 * 3600)
        let session = RefreshSession(tokenID: "5d0f6b7e-2c1a-4a53-9b1d-2f6a3c8d9e10", tokenVersion: 3)
        let reissued = try await issuer.issue(for: "alice", kind: .refresh, now: now, session: session)
        #expect(reissued == Self.tokenIssuedBeforeJWTKit)
    }

    @Test("a token from another issuer or for another audience is refused")
    func wrongIssuerOrAudience() async throws {
        var otherIssuer = Self.policy
        otherIssuer.issuer = "someone-else"
        var otherAudience = Self.policy
        otherAudience.audience = "another-app"
        let fromOther = try await TokenIssuer(privateKey: key, policy: otherIssuer).issue(for: "alice", kind: .access)
        let forOther = try await TokenIssuer(privateKey: key, policy: otherAudience).issue(for: "alice", kind: .access)
        await #expect(throws: TokenError.wrongIssuer) { try await verifier.verify(fromOther, kind: .access) }
        await #expect(throws: TokenError.wrongAudience) { try await verifier.verify(forOther, kind: .access) }
    }

    @Test("a refresh token is not an access token, and an access token is not a refresh token")
    func wrongKind() async throws {
        let pair = try await issuer.issuePair(for: "alice", session: RefreshSession(tokenID: "id", tokenVersion: 0))
        await #expect(throws: TokenError.wrongKind) { try await verifier.verify(pair.refreshToken, kind: .access) }
        await #expect(throws: TokenError.wrongKind) { try await verifier.verify(pair.accessToken, kind: .refresh) }
    }

    @Test("a token without a subject is refused")
    func emptySubject() async throws {
        let token = try await issuer.issue(for: "", kind: .access)
        await #expect(throws: TokenError.wrongKind) { try await verifier.verify(token, kind: .access) }
    }

    @Test(
        "a fresh issuer and verifier used by many tasks at once work (the key joins jwt-kit's collection on first use)")
    func concurrentFirstUse() async throws {
        let (issuer, now) = (self.issuer, self.now)
        let tokens = try await withThrowingTaskGroup(of: String.self) { group in
            for index in 0..<16 {
                group.addTask { try await issuer.issue(for: "user\(index)", kind: .access, now: now) }
            }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        let verifier = self.verifier
        let names = try await withThrowingTaskGroup(of: String.self) { group in
            for token in tokens { group.addTask { try await verifier.verify(token, kind: .access, now: now).sub } }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(names == Set((0..<16).map { "user\($0)" }))
    }

    /// `header.payload.signature` signed with the test key, whatever the header says.
    func signedByHand(header: String, payload: String) throws -> String {
        let input = Self.base64URLEncode(Data(header.utf8)) + "." + Self.base64URLEncode(Data(payload.utf8))
        return input + "." + Self.base64URLEncode(try key.signature(for: Data(input.utf8)))
    }

    static func claims(now: Date, sub: String = "alice") -> UserTokenClaims {
        let issuedAt = Int(now.timeIntervalSince1970)
        return UserTokenClaims(
            sub: sub, refresh: false, iss: "alpha-api-gateway", aud: ["server-alpha"], iat: issuedAt,
            exp: issuedAt + 60
        )
    }

    static func base64URLEncode(_ data: some Sequence<UInt8>) -> String {
        Data(data).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func base64URLDecode(_ text: some StringProtocol) -> Data {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64) ?? Data()
    }
}

@Suite("Ed25519 PEM keys and the service credential")
struct KeyMaterialTests {
    /// Written by `openssl genpkey -algorithm ed25519` and `openssl pkey -pubout` (what dev-keys.sh runs).
    static let opensslPrivateKey = """
        -----BEGIN PRIVATE KEY-----
        MC4CAQAwBQYDK2VwBCIEIPedWB3RLI3f1/fUaWv1HeMzsX+0t7p+F07GSVgzoPyg
        -----END PRIVATE KEY-----

        """
    static let opensslPublicKey = """
        -----BEGIN PUBLIC KEY-----
        MCowBQYDK2VwAyEAmhWEF3cJneJseqxLT9x8cx3R+6/TECeI9Vxda4hbIOE=
        -----END PUBLIC KEY-----

        """

    static let x25519PrivateKey = """
        -----BEGIN PRIVATE KEY-----
        MC4CAQAwBQYDK2VuBCIEIIBLHcIxK4lnPMBtU9vkiteOCRneET8HbhYkNqdvvmlF
        -----END PRIVATE KEY-----

        """
    static let x25519PublicKey = """
        -----BEGIN PUBLIC KEY-----
        MCowBQYDK2VuAyEA4tODPqSXe4zeo0hizrO9FNUwRlFR2EhCa8mwJ9sYJTg=
        -----END PUBLIC KEY-----

        """

    @Test("keys written by openssl are read, and the public key matches the private one")
    func opensslKeys() async throws {
        let privateKey = try Ed25519PEM.privateKey(pem: Self.opensslPrivateKey)
        let publicKey = try Ed25519PEM.publicKey(pem: Self.opensslPublicKey)
        #expect(privateKey.publicKey.rawRepresentation == publicKey.rawRepresentation)
        let issuer = try TokenIssuer(privateKeyPEM: Self.opensslPrivateKey, policy: TokenTests.policy)
        let verifier = try TokenVerifier(publicKeyPEM: Self.opensslPublicKey, policy: TokenTests.policy)
        #expect(try await verifier.verify(issuer.issue(for: "alice", kind: .access), kind: .access).sub == "alice")
    }

    @Test("keys written by the kit are byte-identical to openssl's PEM")
    func writesOpenSSLForm() throws {
        let privateKey = try Ed25519PEM.privateKey(pem: Self.opensslPrivateKey)
        #expect(Ed25519PEM.pem(for: privateKey) == Self.opensslPrivateKey)
        #expect(Ed25519PEM.pem(for: privateKey.publicKey) == Self.opensslPublicKey)
    }

    @Test("a fresh key survives a PEM round trip")
    func roundTrip() throws {
        let key = Curve25519.Signing.PrivateKey()
        let privatePEM = Ed25519PEM.pem(for: key)
        let publicPEM = Ed25519PEM.pem(for: key.publicKey)
        #expect(privatePEM.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
        #expect(publicPEM.hasPrefix("-----BEGIN PUBLIC KEY-----\n"))
        #expect(try Ed25519PEM.privateKey(pem: privatePEM).rawRepresentation == key.rawRepresentation)
        #expect(try Ed25519PEM.publicKey(pem: publicPEM).rawRepresentation == key.publicKey.rawRepresentation)
    }

    @Test("text that is not PEM, or a PEM of another key type, is refused")
    func notEd25519() throws {
        #expect(throws: Ed25519PEM.PEMError.self) { try Ed25519PEM.publicKey(pem: "hello") }
        #expect(throws: Ed25519PEM.PEMError.self) { try Ed25519PEM.privateKey(pem: Self.opensslPublicKey) }
        #expect(throws: Ed25519PEM.PEMError.self) {
            try Ed25519PEM.publicKey(pem: "-----BEGIN PUBLIC KEY-----\n!!!\n-----END PUBLIC KEY-----\n")
        }
        // X25519 keys (same curve, another algorithm identifier), as `openssl genpkey -algorithm x25519` writes them.
        #expect(throws: Ed25519PEM.PEMError.notEd25519) { try Ed25519PEM.privateKey(pem: Self.x25519PrivateKey) }
        #expect(throws: Ed25519PEM.PEMError.notEd25519) { try Ed25519PEM.publicKey(pem: Self.x25519PublicKey) }
        #expect(throws: Ed25519PEM.PEMError.notPEM) { try Ed25519PEM.privateKey(pem: "hello") }
        let p256 = P256.Signing.PrivateKey()
        #expect(throws: Ed25519PEM.PEMError.self) { try Ed25519PEM.privateKey(pem: p256.pemRepresentation) }
        #expect(throws: Ed25519PEM.PEMError.self) { try Ed25519PEM.publicKey(pem: p256.publicKey.pemRepresentation) }
    }

    @Test("the service credential matches only its exact secret and must be at least 16 characters")
    func serviceCredential() throws {
        let credential = try ServiceCredential(secret: "0123456789abcdef0123")
        #expect(credential.matches("0123456789abcdef0123"))
        #expect(!credential.matches("0123456789abcdef012"))
        #expect(!credential.matches("0123456789abcdef01234"))
        #expect(!credential.matches(""))
        #expect(throws: ServiceCredential.CredentialError.tooShort) { try ServiceCredential(secret: "short") }
    }
}
