import Foundation
import JWTKit
import Synchronization

/// jwt-kit's key collection holding one Ed25519 key as its default (and only) signer.
///
/// Claims and headers are written with sorted keys, so a token's bytes depend only on its claims (the
/// form the kit's tokens have always had). `JWTKeyCollection` is an actor and adding a key is isolated
/// to it, so the key is added on first use rather than in the synchronous initialisers of
/// ``TokenIssuer`` and ``TokenVerifier``; two first uses at once both add it, which is harmless.
final class EdDSAKeyCollection: Sendable {
    private let collection = JWTKeyCollection()
    private let key: any EdDSAKey
    private let added = Atomic<Bool>(false)

    /// A collection for `key` (a private key signs and verifies, a public key only verifies).
    init(_ key: some EdDSAKey) {
        self.key = key
    }

    /// The collection, with the key in it.
    var keys: JWTKeyCollection {
        get async {
            if !added.load(ordering: .acquiring) {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                await collection.add(eddsa: key, serializer: DefaultJWTSerializer(jsonEncoder: encoder))
                added.store(true, ordering: .releasing)
            }
            return collection
        }
    }
}
