import Foundation
import Testing
import UserService

@Suite("Building blocks: codes, password hashing, code comparison")
struct BuildingBlockTests {
    @Test("codes are six digits from 100000 to 999999 and vary")
    func codes() {
        let generator = CodeGenerator()
        let codes = (0..<2000).map { _ in generator.newCode() }
        for code in codes {
            #expect(code.count == 6)
            #expect(CodeGenerator.range.contains(Int(code) ?? -1))
        }
        #expect(Set(codes).count > 1900)
    }

    @Test("passwords are hashed with bcrypt cost 10 into 60 characters, salted, and verified")
    func hashing() async throws {
        let hasher = PasswordHasher()
        let hash = try await hasher.hash("Secret#123")
        #expect(hash.hasPrefix("$2b$10$"))
        #expect(hash.count == 60)
        #expect(try await hasher.hash("Secret#123") != hash)
        #expect(try await hasher.verify("Secret#123", against: hash))
        #expect(try await hasher.verify("Secret#124", against: hash) == false)
        #expect(try await hasher.verify("Secret#123", against: "not a bcrypt hash") == false)
    }

    @Test("a stored code matches only the exact same digits")
    func codeComparison() {
        let stored = StoredCode(code: "482913", expiresAt: Date(), attempts: 0)
        #expect(stored.matches("482913"))
        #expect(!stored.matches("482914"))
        #expect(!stored.matches("48291"))
        #expect(!stored.matches("4829130"))
        #expect(!stored.matches(""))
    }
}
