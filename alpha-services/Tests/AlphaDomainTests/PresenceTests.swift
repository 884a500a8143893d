import Foundation
import Testing

@testable import AlphaDomain

/// E10 body with the synthesized Decodable conformance.
private struct UpdateProfileBody: Decodable {
    let nickname: String?
    let status: String?
    let picture: Presence<String>
}

/// The same body with a hand-written init(from:).
private struct ManualBody: Decodable {
    let picture: Presence<String>
    private enum CodingKeys: String, CodingKey { case picture }
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        picture = try container.decode(Presence<String>.self, forKey: .picture)
    }
}

@Suite("Presence: absent vs null vs value")
struct PresenceTests {
    private func update(_ json: String) throws -> UpdateProfileBody {
        try decodeBody(Data(json.utf8))
    }

    @Test("a missing key decodes as absent")
    func absent() throws {
        #expect(try update(#"{"nickname":"n"}"#).picture == .absent)
        #expect(try decodeBody(Data("{}".utf8), as: ManualBody.self).picture == .absent)
    }

    @Test("JSON null decodes as null")
    func null() throws {
        #expect(try update(#"{"picture":null}"#).picture == .null)
        #expect(try decodeBody(Data(#"{"picture":null}"#.utf8), as: ManualBody.self).picture == .null)
    }

    @Test("an empty string and a base64 string decode as values")
    func values() throws {
        #expect(try update(#"{"picture":""}"#).picture == .value(""))
        #expect(try update(#"{"picture":"iVBORw0KGgo="}"#).picture == .value("iVBORw0KGgo="))
        #expect(try decodeBody(Data(#"{"picture":"x"}"#.utf8), as: ManualBody.self).picture == .value("x"))
    }

    @Test("a wrong JSON type for a Presence field is still a bad request")
    func wrongType() {
        #expect(throws: BadRequest.self) { try update(#"{"picture":5}"#) }
        #expect(throws: BadRequest.self) { try update(#"{"picture":{"url":"x"}}"#) }
    }

    @Test("value and isAbsentOrNull expose the payload")
    func accessors() {
        #expect(Presence<String>.absent.value == nil)
        #expect(Presence<String>.null.value == nil)
        #expect(Presence<String>.value("").value == "")
        #expect(Presence<String>.absent.isAbsentOrNull)
        #expect(Presence<String>.null.isAbsentOrNull)
        #expect(!Presence<String>.value("").isAbsentOrNull)
    }

    @Test("other optional fields of the same body are unaffected")
    func neighbours() throws {
        let body = try update(#"{"nickname":"Bob","status":null}"#)
        #expect(body.nickname == "Bob")
        #expect(body.status == nil)
    }
}
